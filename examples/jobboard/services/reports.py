"""Reports for the dashboard. The API awaits these; the database work below them is sync."""

from __future__ import annotations

import csv
import io
from typing import Any

from jobboard.clock import ago
from jobboard.db import DatabaseService
from jobboard.models import Job
from jobboard.services.guardian import GuardianService
from jobboard.services.metrics import MetricsService
from jobboard.services.queues import QueueService
from jobboard.services.runs import RunService


class ReportService:
    def __init__(self, db: DatabaseService) -> None:
        self.db = db
        self.metrics = MetricsService(db)
        self.queues = QueueService(db)
        self.runs = RunService(db)
        self.guardian = GuardianService(db)

    async def daily_summary(self) -> dict[str, Any]:
        since = ago(86400)
        return {
            "states": self.metrics.state_counts(),
            "error_rate": self.runs.error_rate(since),
            "throughput": self.metrics.throughput(since),
        }

    async def queue_overview(self) -> list[dict[str, Any]]:
        return self.queues.overview()

    async def agent_report(self, agent_id: int) -> dict[str, Any]:
        return self._agent_section(agent_id)

    def _agent_section(self, agent_id: int) -> dict[str, Any]:
        health = self.guardian.analyze(agent_id)
        return {"health": health, "active_runs": self.runs.active_for_agent(agent_id)}

    def export_csv(self, queue_id: int) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["id", "name", "state", "priority", "attempts"])
        with self.db.get_session() as session:
            rows = (
                session.query(Job.id, Job.name, Job.state, Job.priority, Job.attempts)
                .filter(Job.queue_id == queue_id)
                .order_by(Job.id)
                .all()
            )
            for row in rows:
                writer.writerow(list(row))
        return buf.getvalue()
