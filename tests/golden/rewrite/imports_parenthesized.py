"""Imports: a parenthesized import keeps one name per line and its trailing comma."""
from sqlalchemy import (
    Integer,
    String,
)
from sqlalchemy.orm import Session

from rwmodels import Job


def ready(session: Session):
    return session.query(Job).filter(Job.state == "ready").order_by(Job.id).all()


def drop(session: Session):
    n = session.query(Job).filter(Job.id == 2).delete()
    session.commit()
    return n
