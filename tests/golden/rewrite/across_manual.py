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


def either_branch(session: Session, flag=True):
    if flag:
        q = session.query(Job).filter(Job.priority == 1)
    else:
        q = session.query(Job).filter(Job.priority == 2)
    return q.order_by(Job.id).all()


def rebuilt_in_loop(session: Session):
    out = []
    q = session.query(Job)
    for state in ("ready", "failed"):
        out.append(q.count())
        q = session.query(Job).filter(Job.state == state)
    return out


def rebound_in_try(session: Session):
    q = session.query(Job).filter(Job.priority == 1)
    try:
        q = session.query(Job).filter(Job.priority == 2)
        n = q.count()
    except ValueError:
        n = -1
    return n, q.all()
