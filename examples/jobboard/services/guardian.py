"""Agent health analysis: spots agents that fail jobs or stop reporting."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func

from jobboard.clock import utcnow
from jobboard.db import DatabaseService
from jobboard.models import Heartbeat, JobRun
from jobboard.services.agents import AgentService

FAILURE_LIMIT = 3
SILENCE_LIMIT_SECONDS = 300.0
LOAD_LIMIT = 0.9


class GuardianService:
    def __init__(self, db: DatabaseService) -> None:
        self.db = db
        self.agents = AgentService(db)

    def analyze(self, agent_id: int) -> dict[str, Any]:
        """Blocking; the API runs it in an executor."""
        with self.db.get_session() as session:
            failures = (
                session.query(JobRun)
                .filter(JobRun.agent_id == agent_id, JobRun.state == "failed")
                .count()
            )
            running = session.query(JobRun).filter_by(agent_id=agent_id, state="running").count()
            last_beat = session.query(func.max(Heartbeat.at)).filter(Heartbeat.agent_id == agent_id).scalar()
        load = self.agents.average_load(agent_id)
        silence = (utcnow() - last_beat).total_seconds() if last_beat else None
        problems = []
        if failures >= FAILURE_LIMIT:
            problems.append("failing")
        if silence is None or silence > SILENCE_LIMIT_SECONDS:
            problems.append("silent")
        if load is not None and load > LOAD_LIMIT:
            problems.append("overloaded")
        return {
            "agent_id": agent_id,
            "failures": failures,
            "running": running,
            "average_load": load,
            "silence_seconds": silence,
            "problems": problems,
            "healthy": not problems,
        }

    def quarantine_if_unhealthy(self, agent_id: int) -> bool:
        report = self.analyze(agent_id)
        if "failing" in report["problems"]:
            self.agents.drain(agent_id)
            return True
        return False
