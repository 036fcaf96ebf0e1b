from sqlalchemy import select

from .db import DatabaseService
from .jobs import JobService
from .models import Job


class QueueService:
    def __init__(self, db: DatabaseService, jobs: JobService):
        self.db = db
        self.jobs = jobs

    def depth(self):
        return len(self.jobs.pending())

    def take(self):
        with self.db.get_session() as session:
            return session.scalars(select(Job).limit(1)).first()
