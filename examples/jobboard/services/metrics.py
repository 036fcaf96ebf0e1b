"""Operational metrics, partly in raw SQL for speed."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import DateTime, bindparam, func, text

from jobboard.clock import utcnow
from jobboard.db import DatabaseService
from jobboard.models import Job, JobRun

COUNTED_TABLES = ("queues", "jobs", "job_runs", "agents", "schedules")

THROUGHPUT_SQL = text(
    """
    WITH finished AS (
        SELECT queue_id, COUNT(*) AS n
        FROM jobs
        WHERE finished_at IS NOT NULL AND finished_at >= :since AND state = :state
        GROUP BY queue_id
    )
    SELECT q.name AS queue, COALESCE(f.n, 0) AS finished
    FROM queues q
    LEFT JOIN finished f ON f.queue_id = q.id
    ORDER BY q.name
    """
).bindparams(bindparam("since", type_=DateTime()))


class MetricsService:
    def __init__(self, db: DatabaseService) -> None:
        self.db = db

    def throughput(self, since: datetime, state: str = "succeeded") -> dict[str, int]:
        with self.db.get_session() as session:
            rows = session.execute(THROUGHPUT_SQL, {"since": since, "state": state}).all()
            return {row.queue: row.finished for row in rows}

    def table_sizes(self) -> dict[str, int]:
        sizes = {}
        with self.db.get_session() as session:
            for table in COUNTED_TABLES:
                sizes[table] = session.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
        return sizes

    def state_counts(self) -> dict[str, int]:
        with self.db.get_session() as session:
            return dict(session.query(Job.state, func.count(Job.id)).group_by(Job.state).all())

    def average_attempts(self, queue_id: Optional[int] = None) -> float:
        with self.db.get_session() as session:
            q = session.query(func.avg(Job.attempts)).filter(Job.attempts > 0)
            if queue_id is not None:
                q = q.filter(Job.queue_id == queue_id)
            return float(q.scalar() or 0.0)

    def longest_runs(self, n: int = 3) -> list[tuple[int, float]]:
        with self.db.get_session() as session:
            rows = session.execute(
                text(
                    """
                    WITH durations AS (
                        SELECT id, (julianday(finished_at) - julianday(started_at)) * 86400.0 AS seconds
                        FROM job_runs
                        WHERE finished_at IS NOT NULL
                    )
                    SELECT id, seconds FROM durations ORDER BY seconds DESC, id LIMIT :n
                    """
                ),
                {"n": n},
            ).all()
            return [(row.id, row.seconds) for row in rows]

    def running_count(self) -> int:
        with self.db.get_session() as session:
            return session.query(JobRun).filter(JobRun.state == "running").count()

    async def snapshot(self) -> dict[str, Any]:
        """Served by the API from the event loop; the queries run inline."""
        with self.db.get_session() as session:
            total = session.query(func.count(Job.id)).scalar()
            running = session.query(func.count(JobRun.id)).filter(JobRun.state == "running").scalar()
        return {"jobs": total, "running_runs": running, "at": utcnow().isoformat()}
