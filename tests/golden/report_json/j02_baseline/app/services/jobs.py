from sqlalchemy import select

from app.db import DatabaseService
from app.models import Job


class JobService:
    def __init__(self, db: DatabaseService):
        self.db = db

    def ready(self):
        with self.db.get_session() as session:
            return session.query(Job).filter(Job.state == "ready").all()

    async def recent(self):
        with self.db.get_session() as session:
            return session.scalars(select(Job).order_by(Job.id.desc())).all()
