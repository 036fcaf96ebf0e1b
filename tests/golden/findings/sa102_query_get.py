from sqlalchemy.orm import Session

from app.models import Job


def load(session: Session, job_id: int):
    return session.query(Job).get(job_id)


def load_new_style(session: Session, job_id: int):
    return session.get(Job, job_id)
