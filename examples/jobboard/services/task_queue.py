"""Low-level queue operations: enqueue, pick, claim, complete."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any, Optional

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from jobboard.clock import ago, utcnow
from jobboard.db import DatabaseService
from jobboard.models import Job

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)


class TaskQueueService:
    def __init__(self, db: DatabaseService) -> None:
        self.db = db

    # -- enqueue ------------------------------------------------------------------------------

    def enqueue(
        self,
        queue_id: int,
        name: str,
        payload: Optional[dict[str, Any]] = None,
        priority: int = 0,
        owner_id: Optional[int] = None,
        scheduled_for: Optional[datetime] = None,
        source: str = "api",
        session: Optional["Session"] = None,
    ) -> int:
        if session is not None:
            return self._enqueue(session, queue_id, name, payload, priority, owner_id, scheduled_for, source)
        with self.db.get_session() as session:
            return self._enqueue(session, queue_id, name, payload, priority, owner_id, scheduled_for, source)

    def _enqueue(
        self,
        session: "Session",
        queue_id: int,
        name: str,
        payload: Optional[dict[str, Any]],
        priority: int,
        owner_id: Optional[int],
        scheduled_for: Optional[datetime],
        source: str,
    ) -> int:
        state = "pending" if scheduled_for is not None and scheduled_for > utcnow() else "ready"
        job = Job(
            queue_id=queue_id,
            name=name,
            payload=json.dumps(payload or {}, sort_keys=True),
            priority=priority,
            owner_id=owner_id,
            scheduled_for=scheduled_for,
            state=state,
            source=source,
        )
        session.add(job)
        session.flush()
        return job.id

    # -- picking and claiming -----------------------------------------------------------------

    def get_next_task(self, queue_id: int) -> Optional[Job]:
        with self.db.get_session() as session:
            job = (
                session.query(Job)
                .filter(Job.queue_id == queue_id, Job.state == "ready")
                .order_by(Job.priority.desc(), Job.id.asc())
                .first()
            )
            if job is None:
                return None
            session.expunge(job)
            return job

    def peek(self, queue_id: int, limit: int = 10) -> list[int]:
        with self.db.get_session() as session:
            jobs = (
                session.query(Job)
                .filter(Job.queue_id == queue_id, Job.state == "ready")
                .order_by(Job.priority.desc(), Job.id.asc())
                .limit(limit)
                .all()
            )
            return [job.id for job in jobs]

    def claim(self, job_id: int) -> bool:
        """Atomically move a ready job to running; False when someone else got it first."""
        with self.db.get_session() as session:
            updated = (
                session.query(Job)
                .filter(Job.id == job_id, Job.state == "ready")
                .update(
                    {"state": "running", "attempts": Job.attempts + 1, "updated_at": utcnow()},
                    synchronize_session=False,
                )
            )
            session.commit()
            return updated == 1

    def mark_ready(self, queue_id: Optional[int] = None, now: Optional[datetime] = None) -> int:
        """Promote pending jobs whose time has come."""
        now = now or utcnow()
        with self.db.get_session() as session:
            q = session.query(Job).filter(Job.state == "pending")
            q = q.filter((Job.scheduled_for == None) | (Job.scheduled_for <= now))  # noqa: E711
            if queue_id is not None:
                q = q.filter(Job.queue_id == queue_id)
            return q.update({"state": "ready"}, synchronize_session=False)

    # -- completion -----------------------------------------------------------------------------

    def complete(self, job_id: int) -> None:
        with self.db.get_session() as session:
            job = session.get(Job, job_id)
            if job is None:
                raise KeyError(job_id)
            job.state = "succeeded"
            job.finished_at = utcnow()
            session.commit()

    def fail(self, job_id: int, reason: str = "") -> str:
        """Record a failed attempt; the job is retried until ``max_attempts``. Returns the new state."""
        with self.db.get_session() as session:
            job = session.get(Job, job_id)
            if job is None:
                raise KeyError(job_id)
            if job.attempts < job.max_attempts:
                job.state = "ready"
            else:
                job.state = "failed"
                job.finished_at = utcnow()
            if reason:
                logger.info("job %s failed: %s", job_id, reason)
            state = job.state
            session.commit()
            return state

    def requeue_stuck(self, older_than_seconds: float) -> int:
        cutoff = ago(older_than_seconds)
        try:
            with self.db.get_session() as session:
                return (
                    session.query(Job)
                    .filter(Job.state == "running", Job.updated_at < cutoff)
                    .update({"state": "ready", "updated_at": utcnow()}, synchronize_session=False)
                )
        except IntegrityError:
            logger.warning("requeue_stuck conflicted; retrying job by job")
            with self.db.get_session() as session:
                count = 0
                for job in session.query(Job).filter(Job.state == "running", Job.updated_at < cutoff):
                    job.state = "ready"
                    count += 1
                return count

    # -- counters -----------------------------------------------------------------------------

    def depth(self, queue_id: int) -> int:
        with self.db.get_session() as session:
            return session.query(Job).filter_by(queue_id=queue_id, state="ready").count()

    def counts_by_state(self, queue_id: Optional[int] = None) -> dict[str, int]:
        with self.db.get_session() as session:
            q = session.query(Job.state, func.count(Job.id))
            if queue_id is not None:
                q = q.filter(Job.queue_id == queue_id)
            rows = q.group_by(Job.state).all()
            return {state: count for state, count in rows}

    def page(self, queue_id: int, page: int = 1, per_page: int = 20) -> list[int]:
        with self.db.get_session() as session:
            rows = (
                session.query(Job.id)
                .filter(Job.queue_id == queue_id)
                .order_by(Job.id)
                .offset((page - 1) * per_page)
                .limit(per_page)
                .all()
            )
            return [row.id for row in rows]
