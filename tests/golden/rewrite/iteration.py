"""Iteration over a Query -> iteration over session.scalars(stmt) / session.execute(stmt)."""
from sqlalchemy.orm import Session

from rwmodels import Job


def retry_failed(session: Session):
    retried = []
    for job in session.query(Job).filter(Job.state == "failed").order_by(Job.id):
        job.state = "ready"
        retried.append(job.id)
    session.commit()
    return retried


def ids(session: Session):
    return [job_id for (job_id,) in session.query(Job.id).filter(Job.priority == 0).order_by(Job.id)]


def as_list(session: Session):
    return list(session.query(Job).filter(Job.attempts == 2).order_by(Job.id))


def multiline(session: Session):
    return [
        name
        for (name,) in session.query(Job.name)
        .filter(Job.state == "ready")
        .order_by(Job.name)
    ]
