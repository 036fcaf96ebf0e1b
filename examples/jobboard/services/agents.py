"""Execution agents: registration, heartbeats, liveness."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import func
from sqlalchemy.orm import Session

from jobboard.clock import ago, utcnow
from jobboard.db import DatabaseService
from jobboard.models import Agent, Heartbeat


class AgentService:
    def __init__(self, db: DatabaseService) -> None:
        self.db = db

    def register(self, name: str, capacity: int = 2, labels: str = "") -> Agent:
        with self.db.get_session() as session:
            agent = session.query(Agent).filter(Agent.name == name).first()
            if agent is None:
                agent = Agent(name=name, capacity=capacity, labels=labels)
                session.add(agent)
            else:
                agent.capacity = capacity
                agent.labels = labels
            agent.status = "online"
            agent.last_seen = utcnow()
            session.commit()
            session.refresh(agent)
            session.expunge(agent)
            return agent

    def get(self, agent_id: int) -> Optional[Agent]:
        with self.db.get_session() as session:
            agent = session.get(Agent, agent_id)
            if agent is not None:
                session.expunge(agent)
            return agent

    def heartbeat(self, agent_id: int, load: float = 0.0, at: Optional[datetime] = None) -> None:
        with self.db.get_session() as session:
            self.record_heartbeat(session, agent_id, load, at)

    def record_heartbeat(self, session: Session, agent_id: int, load: float, at: Optional[datetime] = None) -> None:
        agent = session.get(Agent, agent_id)
        if agent is None:
            raise LookupError(agent_id)
        stamp = at or utcnow()
        session.add(Heartbeat(agent_id=agent_id, load=load, at=stamp))
        agent.last_seen = stamp
        if agent.status == "offline":
            agent.status = "online"

    def list_online(self) -> list[Agent]:
        with self.db.get_session() as session:
            agents = (
                session.query(Agent)
                .filter(Agent.status == "online")
                .order_by(Agent.name)
                .all()
            )
            for agent in agents:
                session.expunge(agent)
            return agents

    def mark_stale_offline(self, stale_after_seconds: float) -> int:
        cutoff = ago(stale_after_seconds)
        with self.db.get_session() as session:
            count = (
                session.query(Agent)
                .filter(Agent.status != "offline", Agent.last_seen < cutoff)
                .update({"status": "offline"}, synchronize_session=False)
            )
            session.commit()
            return count

    def drain(self, agent_id: int) -> None:
        with self.db.get_session() as session:
            agent = session.get(Agent, agent_id)
            if agent is None:
                raise LookupError(agent_id)
            agent.status = "draining"
            session.commit()

    def recent_heartbeats(self, agent_id: int, limit: int = 5) -> list[float]:
        with self.db.get_session() as session:
            beats = (
                session.query(Heartbeat)
                .filter_by(agent_id=agent_id)
                .order_by(Heartbeat.at.desc(), Heartbeat.id.desc())
                .limit(limit)
                .all()
            )
            return [beat.load for beat in beats]

    def average_load(self, agent_id: int, since: Optional[datetime] = None) -> Optional[float]:
        with self.db.get_session() as session:
            q = session.query(func.avg(Heartbeat.load)).filter(Heartbeat.agent_id == agent_id)
            if since is not None:
                q = q.filter(Heartbeat.at >= since)
            return q.scalar()

    def online_capacity(self) -> int:
        with self.db.get_session() as session:
            return session.query(func.coalesce(func.sum(Agent.capacity), 0)).filter(Agent.status == "online").scalar()

    def status_counts(self) -> dict[str, int]:
        with self.db.get_session() as session:
            return dict(session.query(Agent.status, func.count(Agent.id)).group_by(Agent.status).all())

    def prune_heartbeats(self, older_than: datetime) -> int:
        with self.db.get_session() as session:
            return session.query(Heartbeat).filter(Heartbeat.at < older_than).delete()


def agent_names(db: DatabaseService, status: Optional[str] = None) -> list[str]:
    with db.get_session() as sess:
        q = sess.query(Agent.name)
        if status:
            q = q.filter(Agent.status == status)
        return [name for (name,) in q.order_by(Agent.name).all()]
