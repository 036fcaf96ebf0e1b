from contextlib import contextmanager
from typing import Optional

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session, sessionmaker, joinedload


class DatabaseService:
    def __init__(self, url: str):
        self.engine = create_engine(url, pool_size=10, max_overflow=20)
        self.SessionLocal = sessionmaker(bind=self.engine)

    @contextmanager
    def get_session(self):
        session = self.SessionLocal()
        try:
            yield session
            session.commit()
        finally:
            session.close()


class JobService:
    def __init__(self, db: DatabaseService):
        self.db = db

    def ready_jobs(self, queue_id: int, owner: Optional[str] = None):
        with self.db.get_session() as session:
            q = (
                session.query(Job)
                .filter(Job.state == "ready", Job.queue_id == queue_id)
                .options(joinedload(Job.owner))
                .order_by(Job.priority.desc())
            )
            if owner:
                q = q.filter(Job.owner == owner)
            return q.limit(10).all()

    def count(self, session: "Session") -> int:
        return session.query(func.count(Job.id)).scalar()

    def modern(self, session: Session):
        return session.scalars(select(Job).where(Job.id > 1)).all()
