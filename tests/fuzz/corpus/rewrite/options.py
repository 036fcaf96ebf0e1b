"""populate_existing() and yield_per() become execution options; other builders keep names."""
from sqlalchemy.orm import Session, selectinload

from rwmodels import Job, Queue


def fresh(session: Session):
    return session.query(Job).filter(Job.id < 4).populate_existing().order_by(Job.id).all()


def streamed(session: Session):
    return [j.id for j in session.query(Job).order_by(Job.id).yield_per(5)]


def grouped(session: Session):
    return session.query(Job.queue_id, Job.state).group_by(Job.queue_id, Job.state).having(Job.queue_id > 1).order_by(Job.state).all()


def selectin(session: Session):
    return session.query(Queue).options(selectinload(Queue.jobs)).order_by(Queue.id).all()


def sliced(session: Session):
    return session.query(Job).order_by(Job.id).slice(2, 5).all()


def locked(session: Session):
    return session.query(Job).filter(Job.id == 1).with_for_update().one()
