import asyncio

from app.models import Schedule


async def scheduler_loop(db, interval: float) -> None:
    while True:
        with db.get_session() as session:
            for schedule in session.query(Schedule).filter(Schedule.due).all():
                schedule.fire()
            session.commit()
        await asyncio.sleep(interval)


async def heartbeat_loop(interval: float) -> None:
    while True:
        await asyncio.sleep(interval)


async def startup(db) -> list:
    return [
        asyncio.create_task(scheduler_loop(db, 5.0)),
        asyncio.create_task(heartbeat_loop(1.0)),
    ]
