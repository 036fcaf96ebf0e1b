from sqlalchemy.orm import Session

from app.models import Job


def ready(session: Session):
    return session.query(Job).filter(Job.state == "ready")


def first_ready(session: Session):
    return session.query(Job).filter(Job.state == "ready").first()


def paged(session: Session, page):
    q = session.query(Job).order_by(Job.id)
    return page(q)
