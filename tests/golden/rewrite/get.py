"""Mapping (SA102): Query.get(id) -> session.get(Model, id)."""
from sqlalchemy.orm import Session

from rwmodels import Job, Queue


def by_id(session: Session):
    return session.query(Job).get(3)


def missing(session: Session):
    return session.query(Queue).get(99)


def in_expression(session: Session):
    job = session.query(Job).get(5)
    return job.name if job is not None else None
