"""A chain whose line says `# noqa: SA101` is left alone; the other one is fixed."""
from sqlalchemy.orm import Session

from rwmodels import Job


def kept(session: Session):
    return session.query(Job).filter(Job.state == "ready").order_by(Job.id).all()  # noqa: SA101


def fixed(session: Session):
    return session.query(Job).filter(Job.state == "failed").order_by(Job.id).all()
