"""Mapping: .first() adds .limit(1); .one() / .one_or_none() keep their names."""
from sqlalchemy.orm import Session

from rwmodels import Job, Queue, User


def first_job(session: Session):
    return session.query(Job).filter(Job.state == "failed").order_by(Job.id.desc()).first()


def first_row(session: Session):
    return session.query(Job.name, Job.state).order_by(Job.name).first()


def only_queue(session: Session):
    return session.query(Queue).filter(Queue.name == "batch").one()


def maybe_user(session: Session):
    return session.query(User).filter_by(email="nobody@x.io").one_or_none()


def maybe_row(session: Session):
    return session.query(User.id, User.email).filter(User.email == "ann@x.io").one_or_none()


def after_limit(session: Session):
    return session.query(Job).order_by(Job.id).limit(5).first()
