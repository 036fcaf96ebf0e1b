"""Job lifecycle as seen by users: create, inspect, search, cancel, reprioritise."""

from __future__ import annotations

import logging
from typing import Any, Iterable, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from jobboard.clock import utcnow
from jobboard.db import DatabaseService
from jobboard.models import TERMINAL_STATES, Job, Queue, Tag, User
from jobboard.serializers import job_to_dict
from jobboard.services.audit import AuditService
from jobboard.services.repository import TagRepository
from jobboard.services.task_queue import TaskQueueService

logger = logging.getLogger(__name__)


class JobNotFound(LookupError):
    pass


class JobService:
    def __init__(self, db: DatabaseService) -> None:
        self.db = db
        self.queue = TaskQueueService(db)
        self.audit = AuditService(db)

    def create_job(
        self,
        queue_name: str,
        name: str,
        payload: Optional[dict[str, Any]] = None,
        priority: int = 0,
        owner_email: Optional[str] = None,
        tags: Iterable[str] = (),
    ) -> Job:
        with self.queue.db.get_session() as session:
            queue = session.query(Queue).filter_by(name=queue_name).first()
            if queue is None:
                raise LookupError(f"unknown queue {queue_name!r}")
            owner_id = None
            if owner_email:
                owner = session.query(User).filter(User.email == owner_email).first()
                owner_id = owner.id if owner is not None else None
            job_id = self.queue.enqueue(queue.id, name, payload, priority, owner_id, session=session)
            job = session.get(Job, job_id)
            repo = TagRepository(session)
            for tag_name in tags:
                job.tags.append(repo.get_or_create(tag_name))
            self.audit.record(owner_email or "system", "job.create", "job", job_id, name, session=session)
            session.commit()
            session.refresh(job)
            session.expunge(job)
            return job

    def get_job(self, job_id: int) -> Optional[Job]:
        with self.db.get_session() as session:
            job = session.query(Job).get(job_id)
            if job is not None:
                session.expunge(job)
            return job

    def require_job(self, job_id: int) -> Job:
        job = self.get_job(job_id)
        if job is None:
            raise JobNotFound(job_id)
        return job

    def get_job_detail(self, job_id: int) -> Optional[dict[str, Any]]:
        with self.db.get_session() as session:
            job = (
                session.query(Job)
                .options(joinedload(Job.queue), joinedload(Job.owner))
                .filter(Job.id == job_id)
                .first()
            )
            if job is None:
                return None
            data = job_to_dict(job, with_runs=True)
            data["queue"] = job.queue.name
            data["owner"] = job.owner.email if job.owner else None
            data["tags"] = sorted(t.name for t in job.tags)
            return data

    def list_jobs(
        self,
        queue_id: Optional[int] = None,
        state: Optional[str] = None,
        owner_id: Optional[int] = None,
        limit: int = 50,
    ) -> list[dict[str, Any]]:
        with self.db.get_session() as session:
            q = session.query(Job)
            if queue_id is not None:
                q = q.filter(Job.queue_id == queue_id)
            if state:
                q = q.filter(Job.state == state)
            if owner_id is not None:
                q = q.filter_by(owner_id=owner_id)
            q = q.order_by(Job.priority.desc(), Job.id)
            return [job_to_dict(job) for job in q.limit(limit).all()]

    def search(self, term: str, limit: int = 20) -> list[str]:
        with self.db.get_session() as session:
            jobs = (
                session.query(Job)
                .filter(Job.name.like(f"%{term}%"))
                .order_by(Job.id.desc())
                .limit(limit)
                .all()
            )
            return [job.name for job in jobs]

    def recent(self, queue_id: int, n: int = 5) -> list[int]:
        stmt = select(Job).where(Job.queue_id == queue_id).order_by(Job.id.desc()).limit(n)
        with self.db.get_session() as session:
            rows = session.execute(stmt).scalars().all()
            return [job.id for job in rows]

    def names_in_state(self, state: str) -> list[str]:
        with self.db.get_session() as session:
            jobs = session.execute(select(Job).where(Job.state == state).order_by(Job.id)).scalars().all()
            return [job.name for job in jobs]

    def cancel(self, job_id: int, actor: str = "system") -> bool:
        with self.db.get_session() as session:
            job = session.get(Job, job_id)
            if job is None:
                raise JobNotFound(job_id)
            if job.state in TERMINAL_STATES or job.state == "running":
                return False
            job.state = "cancelled"
            job.finished_at = utcnow()
            self.audit.record(actor, "job.cancel", "job", job_id, session=session)
            session.commit()
            return True

    def reprioritise(self, queue_id: int, delta: int) -> int:
        with self.db.get_session() as session:
            count = (
                session.query(Job)
                .filter(Job.queue_id == queue_id, Job.state.in_(("pending", "ready")))
                .update({"priority": Job.priority + delta}, synchronize_session=False)
            )
            session.commit()
            return count

    def rescore(self, scores: dict[int, float]) -> None:
        with self.db.get_session() as session:
            for job_id, score in scores.items():
                session.query(Job).filter(Job.id == job_id).update({"score": score})

    def top_scored(self, n: int = 3) -> list[tuple[str, float]]:
        with self.db.get_session() as session:
            rows = session.query(Job.name, Job.score).order_by(Job.score.desc(), Job.id).limit(n).all()
            return [(name, score) for name, score in rows]

    def delete_cancelled(self, queue_id: int) -> int:
        with self.db.get_session() as session:
            return (
                session.query(Job)
                .filter(Job.queue_id == queue_id, Job.state == "cancelled")
                .delete(synchronize_session=False)
            )

    def count_jobs(self) -> int:
        with self.db.get_session() as session:
            return session.query(func.count(Job.id)).scalar()

    def jobs_with_tag(self, tag_name: str) -> list[str]:
        with self.db.get_session() as session:
            jobs = (
                session.query(Job)
                .join(Job.tags)
                .filter(Tag.name == tag_name)
                .order_by(Job.name)
                .all()
            )
            return [job.name for job in jobs]

    def owner_summary(self) -> list[tuple[str, int]]:
        with self.db.get_session() as session:
            rows = (
                session.query(User.email, func.count(Job.id))
                .join(Job, Job.owner_id == User.id)
                .group_by(User.email)
                .order_by(User.email)
                .all()
            )
            return [(email, count) for email, count in rows]

    def retry_failed(self, queue_id: int) -> int:
        """Give failed jobs of a queue one more attempt."""
        retried = 0
        with self.db.get_session() as session:
            for job in session.query(Job).filter(Job.queue_id == queue_id, Job.state == "failed"):
                job.state = "ready"
                job.max_attempts = job.attempts + 1
                job.finished_at = None
                retried += 1
            session.commit()
        return retried

    def first_pending_for(self, session: Session, owner_id: int) -> Optional[Job]:
        return (
            session.query(Job)
            .filter_by(owner_id=owner_id)
            .filter(Job.state.in_(("pending", "ready")))
            .order_by(Job.id)
            .first()
        )

    def oldest_pending_name(self, owner_id: int) -> Optional[str]:
        with self.db.get_session() as session:
            job = self.first_pending_for(session, owner_id)
            return job.name if job else None

    async def submit(self, queue_name: str, name: str, payload: Optional[dict[str, Any]] = None) -> int:
        """Used by the API: does its database work inline, in the event loop."""
        with self.db.get_session() as session:
            queue_id = session.query(Queue.id).filter(Queue.name == queue_name).scalar()
            if queue_id is None:
                raise LookupError(queue_name)
            job_id = self.queue.enqueue(queue_id, name, payload, session=session)
            session.commit()
        logger.info("submitted job %s to %s", job_id, queue_name)
        return job_id
