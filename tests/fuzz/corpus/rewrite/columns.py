"""PATTERNS 8 and the mapping: several entities or columns -> session.execute(stmt).all()."""
from sqlalchemy import func
from sqlalchemy.orm import Session

from rwmodels import Job, Queue, User


def names_and_scores(session: Session):
    return session.query(Job.name, Job.score).order_by(Job.score.desc(), Job.id).limit(5).all()


def one_column(session: Session):
    return [row.id for row in session.query(Job.id).filter(Job.state == "ready").order_by(Job.id).all()]


def per_state(session: Session):
    return dict(session.query(Job.state, func.count(Job.id)).group_by(Job.state).all())


def labelled(session: Session):
    return session.query(Job.queue_id, func.max(Job.priority).label("top")).group_by(Job.queue_id).order_by(Job.queue_id).all()


def entity_and_column(session: Session):
    return session.query(Job, Queue.name).join(Queue, Job.queue_id == Queue.id).filter(Job.priority == 4).order_by(Job.id).all()


def distinct_states(session: Session):
    return session.query(Job.state).distinct().order_by(Job.state).all()
