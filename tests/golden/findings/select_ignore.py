from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from app.models import Job

engine = create_engine("sqlite://")


def a(session: Session):
    session.query(Job).filter(Job.id == 1).delete()
    return session.query(Job).all()
