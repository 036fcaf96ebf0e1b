from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from app.models import Job

engine = create_engine("sqlite:///jobs.db")
SessionLocal = sessionmaker(bind=engine)
ReadOnlySession = sessionmaker(bind=engine, expire_on_commit=False)


def create_job(name: str) -> Job:
    with SessionLocal() as session:
        job = Job(name=name)
        session.add(job)
        session.commit()
        session.refresh(job)
        session.expunge(job)
        return job
