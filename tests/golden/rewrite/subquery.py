"""A Query used as a subquery becomes a select() without the session."""
from sqlalchemy.orm import Session

from rwmodels import Job, Queue, Tag


def in_subquery(session: Session):
    return session.query(Job).filter(Job.queue_id.in_(session.query(Queue.id).filter(Queue.paused.is_(False)))).order_by(Job.id).all()


def named_subquery(session: Session):
    sub = session.query(Job.queue_id, Job.priority).filter(Job.state == "ready").subquery()
    return session.query(sub.c.queue_id).distinct().order_by(sub.c.queue_id).all()


def exists_query(session: Session):
    return session.query(session.query(Job).filter(Job.state == "running").exists()).scalar()
