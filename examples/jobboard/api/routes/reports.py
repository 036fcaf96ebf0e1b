"""Report endpoints."""

import asyncio
from datetime import datetime

from fastapi import APIRouter, Depends
from fastapi.responses import PlainTextResponse

from jobboard.api.deps import get_db_service
from jobboard.db import DatabaseService
from jobboard.services.metrics import MetricsService
from jobboard.services.reports import ReportService

router = APIRouter(prefix="/reports")


@router.get("/daily")
async def daily(db: DatabaseService = Depends(get_db_service)):
    return await ReportService(db).daily_summary()


@router.get("/queues")
async def queues(db: DatabaseService = Depends(get_db_service)):
    return await ReportService(db).queue_overview()


@router.get("/agents/{agent_id}")
async def agent(agent_id: int, db: DatabaseService = Depends(get_db_service)):
    return await ReportService(db).agent_report(agent_id)


@router.get("/queues/{queue_id}/export", response_class=PlainTextResponse)
async def export(queue_id: int, db: DatabaseService = Depends(get_db_service)):
    service = ReportService(db)
    return await asyncio.to_thread(service.export_csv, queue_id)


@router.get("/throughput")
def throughput(since: datetime, db: DatabaseService = Depends(get_db_service)):
    return MetricsService(db).throughput(since)


@router.get("/snapshot")
async def snapshot(db: DatabaseService = Depends(get_db_service)):
    return await MetricsService(db).snapshot()
