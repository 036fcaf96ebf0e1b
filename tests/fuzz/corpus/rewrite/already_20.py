"""2.0 style already present: nothing to change."""
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from rwmodels import Job


def ready(session: Session):
    return session.scalars(select(Job).where(Job.state == "ready").order_by(Job.id)).all()


def stmt_variable(session: Session):
    stmt = select(Job.id).where(Job.priority > 2).order_by(Job.id)
    return session.execute(stmt).scalars().all()


def raw(session: Session):
    return session.execute(text("SELECT count(*) FROM jobs WHERE state = :s"), {"s": "ready"}).scalar_one()


def bulk(session: Session):
    n = session.execute(update(Job).where(Job.id == 1).values(priority=3)).rowcount
    session.commit()
    return n
