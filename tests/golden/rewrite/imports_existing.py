"""Imports: appended to the existing `from sqlalchemy import ...` line, never duplicated."""
from sqlalchemy import func, select  # noqa: F401
from sqlalchemy.orm import Session

from rwmodels import Job


def ready(session: Session):
    return session.query(Job).filter(Job.state == "ready").order_by(Job.id).all()


def bump(session: Session):
    n = session.query(Job).filter(Job.id == 1).update({"priority": 9})
    session.commit()
    return n


def drop(session: Session):
    n = session.query(Job).filter(Job.id == 2).delete()
    session.commit()
    return n


def total(session: Session):
    return session.query(Job).count()
