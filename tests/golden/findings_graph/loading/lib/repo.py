"""Reads of ORM objects: lazy relationships, after commit, after the session closed."""
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from .db import Database, KeepDatabase
from .models import Job, Queue


class QueueRepo:
    def __init__(self, db: Database, keep: KeepDatabase) -> None:
        self.db = db
        self.keep = keep

    def job_names(self, queue_id: int) -> list[str]:
        with self.db.get_session() as session:
            queue = session.get(Queue, queue_id)
            return [j.name for j in queue.jobs]

    def job_names_eager(self, queue_id: int) -> list[str]:
        with self.db.get_session() as session:
            queue = session.get(Queue, queue_id, options=[selectinload(Queue.jobs)])
            return [j.name for j in queue.jobs]

    def queue_names(self) -> list[str]:
        with self.db.get_session() as session:
            jobs = session.query(Job).filter(Job.id > 0).all()
            return [job.queue.name for job in jobs]

    def queue_names_joined(self) -> list[str]:
        with self.db.get_session() as session:
            jobs = session.query(Job).options(joinedload(Job.queue)).all()
            return [job.queue.name for job in jobs]

    def queue_of(self, job_id: int) -> str:
        with self.db.get_session() as session:
            stmt = select(Job).where(Job.id == job_id)
            job = session.execute(stmt).scalars().one()
            return job.queue.name

    def owners(self, queue_id: int) -> int:
        with self.db.get_session() as session:
            queue = session.get(Queue, queue_id)
            return len(queue.owners)

    def rename(self, job_id: int, name: str) -> str:
        with self.db.get_session() as session:
            job = session.get(Job, job_id)
            job.name = name
            session.commit()
            return job.name

    def rename_refreshed(self, job_id: int, name: str) -> str:
        with self.db.get_session() as session:
            job = session.get(Job, job_id)
            job.name = name
            session.commit()
            session.refresh(job)
            return job.name

    def rename_kept(self, job_id: int, name: str) -> str:
        with self.keep.get_session() as session:
            job = session.get(Job, job_id)
            job.name = name
            session.commit()
            return job.name

    def created(self, name: str) -> int:
        with self.db.get_session() as session:
            queue = Queue(name=name)
            session.add(queue)
            session.commit()
            session.refresh(queue)
            session.expunge(queue)
        return queue.created

    def detached_jobs(self, queue_id: int) -> int:
        with self.db.get_session() as session:
            queue = session.get(Queue, queue_id)
            session.expunge(queue)
        return len(queue.jobs)

    def expired_on_exit(self, job_id: int) -> str:
        with self.db.get_session() as session:
            job = session.get(Job, job_id)
        return job.name

    def kept_after_exit(self, job_id: int) -> str:
        with self.keep.get_session() as session:
            job = session.get(Job, job_id)
        return job.name


def queue_label(job: Job) -> str:
    return job.queue.name


def job_label(job: Job) -> str:
    return job.name
