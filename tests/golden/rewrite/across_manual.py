"""Chains across statements stay as they are when a use of the variable is not understood."""
from sqlalchemy.orm import Session

from rwmodels import Job


def _paginate(q, n):
    return q.limit(n).all()


def passed_on(session: Session):
    q = session.query(Job).filter(Job.state == "ready")
    return _paginate(q, 3)


def returned(session: Session):
    q = session.query(Job).filter(Job.priority > 2)
    return q


def rebound(session: Session):
    q = session.query(Job)
    q = sorted(q.all(), key=lambda j: j.id)
    return q


def in_closure(session: Session):
    q = session.query(Job).filter(Job.attempts == 1)
    return (lambda: q.count())()


def update_and_read(session: Session):
    q = session.query(Job).filter(Job.state == "failed")
    rows = q.all()
    q.update({"state": "ready"})
    return rows
