"""Depends(provider), references handed to executors, threads and background tasks."""
import asyncio
import functools
import threading
from concurrent.futures import ThreadPoolExecutor

from fastapi import APIRouter, BackgroundTasks, Depends

from .db import DatabaseService, get_db, get_db_service
from .reports import ReportService, provide_reports

router = APIRouter()


@router.get("/report")
async def report(n: int, db: DatabaseService = Depends(get_db_service)):
    return ReportService(db).build(n)


@router.get("/report-dep")
async def report_dep(n: int, reports=Depends(provide_reports)):
    return reports.build(n)


@router.get("/sync-dep")
async def sync_dep(db=Depends(get_db)):
    return {"ok": True}


@router.get("/executor")
async def executor(n: int, db: DatabaseService = Depends(get_db_service)):
    loop = asyncio.get_running_loop()
    service = ReportService(db)
    return await loop.run_in_executor(None, service.build, n)


@router.get("/to-thread")
async def to_thread(n: int, db: DatabaseService = Depends(get_db_service)):
    return await asyncio.to_thread(functools.partial(ReportService(db).build, n))


@router.get("/lambda")
async def in_lambda(n: int, db: DatabaseService = Depends(get_db_service)):
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, lambda: ReportService(db).build(n))


@router.post("/notify")
async def notify(user: int, background: BackgroundTasks, db: DatabaseService = Depends(get_db_service)):
    service = ReportService(db)
    background.add_task(service.notify, user)
    background.add_task(service.anotify, user)
    return {"queued": True}


class Worker:
    def __init__(self, db: DatabaseService) -> None:
        self.reports = ReportService(db)

    def _loop(self) -> None:
        while True:
            self.reports.build(1)

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self._loop, daemon=True)
        thread.start()
        return thread

    def run_batch(self, ns: list[int]) -> list[int]:
        with ThreadPoolExecutor(max_workers=4) as ex:
            return [f.result() for f in [ex.submit(self.reports.build, n) for n in ns]]
