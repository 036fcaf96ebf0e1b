"""Mapping: .filter -> .where, .all() on one entity -> session.scalars(stmt).all()."""
from sqlalchemy import func
from sqlalchemy.orm import Session

from rwmodels import Job


def ready_jobs(session: Session):
    return session.query(Job).filter(Job.state == "ready").order_by(Job.id).all()


def filtered_by(session: Session):
    return session.query(Job).filter_by(queue_id=1, state="failed").filter(Job.priority > 0).order_by(Job.id).limit(3).offset(1).all()


def several_criteria(session: Session):
    return session.query(Job).filter(Job.state != "ready", Job.attempts > 0).order_by(Job.priority.desc(), Job.id).all()
