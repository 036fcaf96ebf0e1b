"""Job runs: one per attempt, with their logs."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import func
from sqlalchemy.orm import Session

from jobboard.clock import utcnow
from jobboard.db import DatabaseService
from jobboard.models import Job, JobRun, RunLog
from jobboard.serializers import run_to_dict
from jobboard.services.repository import RunRepository
from jobboard.services.task_queue import TaskQueueService


class RunService:
    def __init__(self, db: DatabaseService) -> None:
        self.db = db
        self.queue = TaskQueueService(db)

    def start_run(self, job_id: int, agent_id: Optional[int] = None) -> int:
        with self.db.get_session() as session:
            repo = RunRepository(session)
            job = session.get(Job, job_id)
            if job is None:
                raise LookupError(job_id)
            run = repo.add(JobRun(job_id=job_id, agent_id=agent_id, attempt=max(job.attempts, 1)))
            repo.log(run.id, f"attempt {run.attempt} started")
            session.commit()
            return run.id

    def finish_run(self, run_id: int, ok: bool, exit_code: int = 0, message: str = "") -> str:
        """Close a run and move its job on; returns the job's new state."""
        with self.db.get_session() as session:
            repo = RunRepository(session)
            run = repo.get(run_id)
            if run is None:
                raise LookupError(run_id)
            run.state = "succeeded" if ok else "failed"
            run.exit_code = exit_code
            run.finished_at = utcnow()
            if message:
                repo.log(run_id, message, level="info" if ok else "error")
            job_id = run.job_id
            session.commit()
        if ok:
            self.queue.complete(job_id)
            return "succeeded"
        return self.queue.fail(job_id, message)

    def append_log(self, run_id: int, message: str, level: str = "info", session: Optional[Session] = None) -> None:
        if session is not None:
            RunRepository(session).log(run_id, message, level)
            return
        with self.db.get_session() as session:
            RunRepository(session).log(run_id, message, level)

    def logs_for(self, run_id: int) -> list[tuple[str, str]]:
        with self.db.get_session() as session:
            logs = (
                session.query(RunLog)
                .filter(RunLog.run_id == run_id)
                .order_by(RunLog.id)
                .all()
            )
            return [(log.level, log.message) for log in logs]

    def tail(self, run_id: int, n: int = 3) -> list[str]:
        with self.db.get_session() as session:
            rows = (
                session.query(RunLog.message)
                .filter(RunLog.run_id == run_id)
                .order_by(RunLog.id.desc())
                .limit(n)
                .all()
            )
            return [message for (message,) in reversed(rows)]

    def history(self, job_id: int) -> list[dict[str, Any]]:
        with self.db.get_session() as session:
            return [run_to_dict(run) for run in RunRepository(session).for_job(job_id)]

    def latest_state(self, job_id: int) -> Optional[str]:
        with self.db.get_session() as session:
            run = RunRepository(session).latest(job_id)
            return run.state if run else None

    def active_for_agent(self, agent_id: int) -> list[int]:
        with self.db.get_session() as session:
            return [run.id for run in RunRepository(session).active_for_agent(agent_id)]

    def log_count(self, run_id: int) -> int:
        with self.db.get_session() as session:
            return RunRepository(session).log_count(run_id)

    def error_rate(self, since: Optional[datetime] = None) -> float:
        with self.db.get_session() as session:
            total_q = session.query(JobRun).filter(JobRun.state.in_(("succeeded", "failed")))
            if since is not None:
                total_q = total_q.filter(JobRun.started_at >= since)
            total = total_q.count()
            if total == 0:
                return 0.0
            failed = total_q.filter(JobRun.state == "failed").count()
            return failed / total

    def runs_per_agent(self) -> dict[Optional[int], int]:
        with self.db.get_session() as session:
            rows = session.query(JobRun.agent_id, func.count(JobRun.id)).group_by(JobRun.agent_id).all()
            return dict(rows)

    def mark_lost(self, session: Session, run: JobRun) -> None:
        run.state = "lost"
        run.finished_at = utcnow()
        session.add(RunLog(run_id=run.id, level="error", message="run lost: no progress"))
