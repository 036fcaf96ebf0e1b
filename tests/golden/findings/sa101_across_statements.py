from typing import Optional

from sqlalchemy.orm import Session, sessionmaker

from app.models import Job

SessionLocal = sessionmaker()


def search(owner: Optional[str] = None, state: Optional[str] = None):
    with SessionLocal() as s:
        q = s.query(Job)
        if owner:
            q = q.filter(Job.owner == owner)
        if state:
            q = q.filter_by(state=state)
        total = q.count()
        return total, q.order_by(Job.id).limit(20).all()


def unfinished(session: Session):
    query = session.query(Job).filter(Job.finished_at.is_(None))
    return query
