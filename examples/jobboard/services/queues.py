"""Queue administration and queue statistics."""

from __future__ import annotations

from typing import Any, Optional

from sqlalchemy import func
from sqlalchemy.orm import Session, joinedload

from jobboard.db import DatabaseService
from jobboard.models import Job, Queue, Team
from jobboard.serializers import queue_to_dict
from jobboard.services.jobs import JobService


class QueueService:
    def __init__(self, db: DatabaseService) -> None:
        self.db = db
        self.jobs = JobService(db)

    def create_queue(self, name: str, team_name: Optional[str] = None, max_concurrency: int = 4) -> Queue:
        with self.db.get_session() as session:
            team_id = None
            if team_name:
                team = session.query(Team).filter(Team.name == team_name).first()
                if team is None:
                    team = Team(name=team_name)
                    session.add(team)
                    session.flush()
                team_id = team.id
            queue = Queue(name=name, team_id=team_id, max_concurrency=max_concurrency)
            session.add(queue)
            session.commit()
            session.refresh(queue)
            session.expunge(queue)
            return queue

    def get_by_name(self, name: str) -> Optional[Queue]:
        with self.db.get_session() as session:
            queue = session.query(Queue).filter_by(name=name).first()
            if queue:
                session.expunge(queue)
            return queue

    def list_queues(self, include_paused: bool = True) -> list[dict[str, Any]]:
        with self.db.get_session() as session:
            q = session.query(Queue)
            if not include_paused:
                q = q.filter(Queue.paused.is_(False))
            return [queue_to_dict(queue) for queue in q.order_by(Queue.name).all()]

    def set_paused(self, queue_id: int, paused: bool) -> bool:
        with self.db.get_session() as session:
            updated = session.query(Queue).filter(Queue.id == queue_id).update({"paused": paused})
            session.commit()
            return updated == 1

    def pause(self, queue_id: int) -> bool:
        return self.set_paused(queue_id, True)

    def resume(self, queue_id: int) -> bool:
        return self.set_paused(queue_id, False)

    def is_paused(self, queue_id: int) -> bool:
        with self.db.get_session() as session:
            return bool(session.query(Queue.paused).filter(Queue.id == queue_id).scalar())

    # -- statistics: overview -> _collect -> _stats ----------------------------------------------

    def overview(self) -> list[dict[str, Any]]:
        with self.db.get_session() as session:
            return self._collect(session)

    def _collect(self, session: Session) -> list[dict[str, Any]]:
        queues = session.query(Queue).order_by(Queue.name).all()
        return [dict(name=queue.name, paused=queue.paused, **self._stats(session, queue.id)) for queue in queues]

    def _stats(self, session: Session, queue_id: int) -> dict[str, int]:
        rows = (
            session.query(Job.state, func.count(Job.id))
            .filter(Job.queue_id == queue_id)
            .group_by(Job.state)
            .all()
        )
        counts = dict(rows)
        return {
            "ready": counts.get("ready", 0),
            "running": counts.get("running", 0),
            "done": counts.get("succeeded", 0) + counts.get("failed", 0) + counts.get("cancelled", 0),
            "total": sum(counts.values()),
        }

    def busiest(self, n: int = 3) -> list[tuple[str, int]]:
        with self.db.get_session() as session:
            rows = (
                session.query(Queue.name, func.count(Job.id))
                .join(Job, Job.queue_id == Queue.id)
                .filter(Job.state.in_(("ready", "running")))
                .group_by(Queue.name)
                .order_by(func.count(Job.id).desc(), Queue.name)
                .limit(n)
                .all()
            )
            return [(name, count) for name, count in rows]

    def queues_with_jobs(self) -> dict[str, list[str]]:
        with self.db.get_session() as session:
            queues = session.query(Queue).options(joinedload(Queue.jobs)).order_by(Queue.name).all()
            return {queue.name: sorted(job.name for job in queue.jobs) for queue in queues}

    def delete_queue(self, name: str) -> bool:
        with self.db.get_session() as session:
            queue = session.query(Queue).filter(Queue.name == name).one_or_none()
            if queue is None:
                return False
            session.delete(queue)
            session.commit()
            return True

    def drain(self, queue_id: int) -> int:
        """Pause the queue and cancel everything that has not started yet."""
        self.pause(queue_id)
        cancelled = 0
        for job in self.jobs.list_jobs(queue_id=queue_id, state="ready", limit=1000):
            if self.jobs.cancel(job["id"], actor="drain"):
                cancelled += 1
        return cancelled
