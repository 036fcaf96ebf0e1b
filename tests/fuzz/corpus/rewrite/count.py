"""Mapping: .count() -> select(func.count()).select_from(Entity).where(...) for a filtered
entity; a subquery when the query selects columns, joins, groups or is distinct."""
from sqlalchemy.orm import Session

from rwmodels import Job, Tag


def all_jobs(session: Session):
    return session.query(Job).count()


def ready(session: Session):
    return session.query(Job).filter_by(queue_id=1, state="ready").count()


def filtered(session: Session):
    return session.query(Job).filter(Job.priority > 2).filter(Job.attempts == 0).count()


def joined(session: Session):
    return session.query(Job).join(Job.tags).filter(Tag.name.in_(("urgent", "gpu"))).count()


def distinct_states(session: Session):
    return session.query(Job.state).distinct().count()


def with_limit(session: Session):
    return session.query(Job).order_by(Job.id).limit(4).count()
