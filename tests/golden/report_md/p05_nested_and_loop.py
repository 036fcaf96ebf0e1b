import asyncio

from app.models import Run


def requeue(db, run_id: int) -> None:
    try:
        with db.get_session() as session:
            session.query(Run).filter(Run.id == run_id).update({"state": "ready"})
    except Exception:
        with db.get_session() as session:
            session.query(Run).filter(Run.id == run_id).delete()


async def reaper_loop(db, interval: float) -> None:
    while True:
        with db.get_session() as session:
            stale = session.query(Run).filter(Run.state == "running").all()
            if not stale:
                await asyncio.sleep(interval)
                continue
        await asyncio.sleep(interval)
