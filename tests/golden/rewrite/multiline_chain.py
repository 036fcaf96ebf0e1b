"""PATTERNS 6: chains over several lines inside parentheses keep their line breaks and comments."""
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rwmodels import Job


def next_ready(session: Session, queue_id=1):
    tasks = (
        session.query(Job)
        .filter(Job.state == "ready", Job.queue_id == queue_id)  # the queue's ready jobs
        .order_by(Job.priority.desc())
        # highest priority first, then oldest
        .order_by(Job.id)
        .limit(10)
        .all()
    )
    return tasks


def total_ready(session: Session):
    return (
        session.query(Job)
        .filter(Job.state == "ready")
        # counted in SQL
        .count()
    )


def continued(session: Session):
    return session.query(Job) \
        .filter(Job.state == "failed") \
        .order_by(Job.id) \
        .first()
