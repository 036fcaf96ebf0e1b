"""Retention: deletes old logs, heartbeats and finished jobs."""

from __future__ import annotations

import logging
from datetime import datetime

from jobboard.db import DatabaseService
from jobboard.models import Heartbeat, Job, JobRun, RunLog, TERMINAL_STATES, job_tags
from jobboard.services.agents import AgentService
from jobboard.services.runs import RunService

logger = logging.getLogger(__name__)


class RetentionService:
    def __init__(self, db: DatabaseService) -> None:
        self.db = db
        self.runs = RunService(db)
        self.agents = AgentService(db)

    def purge_logs(self, before: datetime) -> int:
        with self.db.get_session() as session:
            deleted = session.query(RunLog).filter(RunLog.created_at < before).delete(synchronize_session=False)
            session.commit()
        logger.info("purged %d run logs", deleted)
        return deleted

    def purge_finished_jobs(self, before: datetime) -> int:
        with self.db.get_session() as session:
            job_ids = [
                job_id
                for (job_id,) in session.query(Job.id)
                .filter(Job.state.in_(TERMINAL_STATES), Job.finished_at < before)
                .all()
            ]
            if not job_ids:
                return 0
            run_ids = [run_id for (run_id,) in session.query(JobRun.id).filter(JobRun.job_id.in_(job_ids)).all()]
            if run_ids:
                session.query(RunLog).filter(RunLog.run_id.in_(run_ids)).delete(synchronize_session=False)
                session.query(JobRun).filter(JobRun.id.in_(run_ids)).delete(synchronize_session=False)
            session.execute(job_tags.delete().where(job_tags.c.job_id.in_(job_ids)))
            deleted = session.query(Job).filter(Job.id.in_(job_ids)).delete(synchronize_session=False)
            session.commit()
            return deleted

    def purge_heartbeats(self, before: datetime) -> int:
        return self.agents.prune_heartbeats(before)

    def purge_all(self, before: datetime) -> dict[str, int]:
        return {
            "logs": self.purge_logs(before),
            "jobs": self.purge_finished_jobs(before),
            "heartbeats": self.purge_heartbeats(before),
        }

    def backlog(self) -> dict[str, int]:
        with self.db.get_session() as session:
            return {
                "finished_jobs": session.query(Job).filter(Job.state.in_(TERMINAL_STATES)).count(),
                "logs": session.query(RunLog).count(),
                "heartbeats": session.query(Heartbeat).count(),
            }
