"""Imports: existing aliases are used; a name bound to something else is reached through
`import sqlalchemy as sa` instead of shadowing it."""
import sqlalchemy as sa
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session

from rwmodels import Job


def update(job, **values):
    for k, v in values.items():
        setattr(job, k, v)


def ready(session: Session):
    return session.query(Job).filter(Job.state == "ready").order_by(Job.id).all()


def bump(session: Session):
    n = session.query(Job).filter(Job.id == 1).update({"priority": 9})
    session.commit()
    return n


def local_func(session: Session):
    func = len
    return func([session.query(Job).filter(Job.priority == 1).count()])
