from sqlalchemy import func
from sqlalchemy.orm import Session

from app.models import Job


def ready_jobs(session: Session, queue_id: int):
    return (
        session.query(Job)
        .filter(Job.queue_id == queue_id, Job.state == "ready")
        .order_by(Job.priority.desc())
        .limit(10)
        .all()
    )


def job_count(session: Session) -> int:
    return session.query(func.count(Job.id)).scalar()


def by_state(session: Session):
    return session.query(Job.state, func.count(Job.id)).group_by(Job.state).all()


def names(session: Session):
    for job in session.query(Job).filter(Job.state == "done"):
        yield job.name


def legacy_self_join(session: Session):
    return session.query(Job).from_self().first()
