"""Background loops started with create_task: what each reaches."""
import asyncio

from .db import DatabaseService, get_db_service
from .reports import ReportService


async def rebuild_loop(db: DatabaseService) -> None:
    reports = ReportService(db)
    while True:
        reports.build(10)
        await asyncio.sleep(60)


async def offloaded_loop(db: DatabaseService) -> None:
    reports = ReportService(db)
    while True:
        await asyncio.to_thread(reports.notify, 1)
        await asyncio.sleep(60)


async def start() -> list:
    db = get_db_service()
    return [asyncio.create_task(rebuild_loop(db)), asyncio.create_task(offloaded_loop(db))]
