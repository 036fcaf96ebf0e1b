import asyncio

from app.db import DatabaseService
from app.models import Job


async def reaper(db: DatabaseService, interval: float) -> None:
    while True:
        with db.get_session() as session:
            stale = session.query(Job).filter(Job.state == "running").all()
            if not stale:
                await asyncio.sleep(interval)
                continue
            session.commit()
        await asyncio.sleep(interval)
