import asyncio

from app.db import DatabaseService
from app.models import Job


class Monitor:
    def __init__(self, db: DatabaseService) -> None:
        self.db = db

    async def tick(self) -> int:
        with self.db.get_session() as session:
            return session.query(Job).filter(Job.state == "ready").count()

    def sync_tick(self) -> int:
        with self.db.get_session() as session:
            return session.query(Job).count()
