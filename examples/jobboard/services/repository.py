"""Repository objects bound to one session for the length of a unit of work."""

from __future__ import annotations

from typing import Optional, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jobboard.models import Job, JobRun, RunLog, Tag


class RunRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, run: JobRun) -> JobRun:
        self.session.add(run)
        self.session.flush()
        return run

    def get(self, run_id: int) -> Optional[JobRun]:
        return self.session.get(JobRun, run_id)

    def for_job(self, job_id: int) -> Sequence[JobRun]:
        stmt = select(JobRun).where(JobRun.job_id == job_id).order_by(JobRun.attempt)
        return self.session.scalars(stmt).all()

    def latest(self, job_id: int) -> Optional[JobRun]:
        return self.session.query(JobRun).filter_by(job_id=job_id).order_by(JobRun.id.desc()).first()

    def active_for_agent(self, agent_id: int) -> list[JobRun]:
        return (
            self.session.query(JobRun)
            .filter(JobRun.agent_id == agent_id, JobRun.state == "running")
            .order_by(JobRun.id)
            .all()
        )

    def log(self, run_id: int, message: str, level: str = "info") -> None:
        self.session.add(RunLog(run_id=run_id, level=level, message=message))

    def log_count(self, run_id: int) -> int:
        return self.session.query(func.count(RunLog.id)).filter(RunLog.run_id == run_id).scalar()


class TagRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get_or_create(self, name: str) -> Tag:
        tag = self.session.query(Tag).filter(Tag.name == name).one_or_none()
        if tag is None:
            tag = Tag(name=name)
            self.session.add(tag)
            self.session.flush()
        return tag

    def names_for(self, job: Job) -> list[str]:
        return sorted(tag.name for tag in job.tags)

    def usage(self) -> list[tuple[str, int]]:
        rows = (
            self.session.query(Tag.name, func.count(Job.id))
            .join(Tag.jobs)
            .group_by(Tag.name)
            .order_by(func.count(Job.id).desc(), Tag.name)
            .all()
        )
        return [(name, count) for name, count in rows]
