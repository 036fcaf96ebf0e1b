"""Mapping: .scalar() of aggregates -> session.scalar(stmt); of anything else the exact
equivalent, execute(stmt).scalar_one_or_none() (legacy scalar() raised on several rows)."""
from sqlalchemy import func
from sqlalchemy.orm import Session

from rwmodels import Job, Queue


def total(session: Session):
    return session.query(func.count(Job.id)).scalar()


def capacity(session: Session):
    return session.query(func.coalesce(func.sum(Job.priority), 0)).filter(Job.state == "ready").scalar()


def paused(session: Session):
    return session.query(Queue.paused).filter(Queue.name == "idle").scalar()


def missing(session: Session):
    return session.query(Queue.id).filter(Queue.name == "nope").scalar()


def entity(session: Session):
    return session.query(Queue).filter(Queue.name == "default").scalar()
