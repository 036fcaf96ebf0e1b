"""PATTERNS 7: a query built across statements becomes a statement variable; each consumer
executes it with the session the query came from."""
from typing import Optional

from sqlalchemy import func
from sqlalchemy.orm import Session

from rwmodels import Job


def list_jobs(session: Session, queue_id: Optional[int] = 1, state: Optional[str] = None, owner_id: Optional[int] = 2, limit: int = 50):
    q = session.query(Job)
    if queue_id is not None:
        q = q.filter(Job.queue_id == queue_id)
    if state:
        q = q.filter(Job.state == state)
    if owner_id is not None:
        q = q.filter_by(owner_id=owner_id)
    q = q.order_by(Job.priority.desc(), Job.id)
    return [job.name for job in q.limit(limit).all()]


def counts_by_state(session: Session, queue_id: Optional[int] = 2):
    q = session.query(Job.state, func.count(Job.id))
    if queue_id is not None:
        q = q.filter(Job.queue_id == queue_id)
    rows = q.group_by(Job.state).order_by(Job.state).all()
    return {state: count for state, count in rows}


def error_rate(session: Session, min_priority: Optional[int] = 1):
    total_q = session.query(Job).filter(Job.state.in_(("succeeded", "failed")))
    if min_priority is not None:
        total_q = total_q.filter(Job.priority >= min_priority)
    total = total_q.count()
    if total == 0:
        return 0.0
    failed = total_q.filter(Job.state == "failed").count()
    return failed / total


def average_attempts(session: Session, queue_id: Optional[int] = 1):
    q = session.query(func.avg(Job.attempts)).filter(Job.attempts > 0)
    if queue_id is not None:
        q = q.filter(Job.queue_id == queue_id)
    return float(q.scalar() or 0.0)


def mark_ready(session: Session, queue_id: Optional[int] = 1):
    q = session.query(Job).filter(Job.state == "pending")
    if queue_id is not None:
        q = q.filter(Job.queue_id == queue_id)
    n = q.update({"state": "ready"}, synchronize_session=False)
    session.commit()
    return n


def purge(session: Session):
    q = session.query(Job).filter(Job.state == "cancelled")
    n = q.delete()
    session.commit()
    return n


def iterate(session: Session):
    q = session.query(Job.name).filter(Job.priority == 3)
    q = q.order_by(Job.name)
    return [name for (name,) in q]


def first_and_all(session: Session):
    q = session.query(Job).filter(Job.queue_id == 2).order_by(Job.id)
    head = q.first()
    return head, q.all()


def sequential_blocks(session: Session):
    q = session.query(Job)
    q = q.filter_by(state="cancelled")
    n = q.delete(False)

    q = session.query(Job.name)
    q = q.filter(Job.priority == 4).order_by(Job.name)
    return n, q.all()


def two_blocks(session: Session):
    with session.begin_nested():
        q = session.query(Job)
        q = q.filter_by(state="failed")
        failed = q.count()
    with session.begin_nested():
        q = session.query(Job.id)
        q = q.filter(Job.priority == 0)
        return failed, [r.id for r in q.order_by(Job.id).all()]
