from sqlalchemy import select

from .db import DatabaseService
from .models import Job


class JobService:
    def __init__(self, db: DatabaseService):
        self.db = db

    def pending(self):
        with self.db.get_session() as session:
            return session.scalars(select(Job).where(Job.state == "pending")).all()

    def count(self):
        with self.db.get_session() as session:
            return session.query(Job).count()
