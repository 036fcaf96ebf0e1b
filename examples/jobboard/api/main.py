"""Application entry point: the FastAPI app and its background loops.

Run with ``uvicorn jobboard.api.main:app``.
"""

import asyncio
import logging
from datetime import timedelta
from typing import Any, Optional

from fastapi import FastAPI

from jobboard.api.deps import get_db_service
from jobboard.api.routes import admin, agents, jobs, jobs_v2, queues, reports, schedules, teams
from jobboard.clock import utcnow
from jobboard.config import Settings, load_settings
from jobboard.db import DatabaseService
from jobboard.models import JobRun
from jobboard.services.agents import AgentService
from jobboard.services.dispatch import DispatchService
from jobboard.services.guardian import GuardianService
from jobboard.services.retention import RetentionService
from jobboard.services.runs import RunService
from jobboard.services.scheduler import SchedulerService

logger = logging.getLogger(__name__)

app = FastAPI(title="jobboard")
for module in (jobs, queues, agents, schedules, reports, admin, teams, jobs_v2):
    app.include_router(module.router)

_background_tasks: list[asyncio.Task] = []


async def scheduler_loop(db: DatabaseService, interval: float) -> None:
    scheduler = SchedulerService(db)
    dispatch = DispatchService(db, scheduler=scheduler)
    while True:
        try:
            created = scheduler.tick()
            promoted = dispatch.promote_ready()
            if created or promoted:
                logger.info("scheduler: %d created, %d promoted", len(created), promoted)
        except Exception:
            logger.exception("scheduler loop failed")
        await asyncio.sleep(interval)


async def reaper_loop(db: DatabaseService, interval: float, stale_seconds: float) -> None:
    """Marks runs that stopped reporting as lost and gives their job another try."""
    runs = RunService(db)
    while True:
        cutoff = utcnow() - timedelta(seconds=stale_seconds)
        with db.get_session() as session:
            stale = (
                session.query(JobRun)
                .filter(JobRun.state == "running", JobRun.started_at < cutoff)
                .order_by(JobRun.id)
                .all()
            )
            if not stale:
                await asyncio.sleep(interval)
                continue
            job_ids = []
            for run in stale:
                runs.mark_lost(session, run)
                job_ids.append(run.job_id)
            session.commit()
        for job_id in job_ids:
            runs.queue.fail(job_id, "run lost")
        await asyncio.sleep(interval)


async def retention_loop(db: DatabaseService, interval: float, keep_days: float) -> None:
    retention = RetentionService(db)
    while True:
        cutoff = utcnow() - timedelta(days=keep_days)
        try:
            await asyncio.to_thread(retention.purge_all, cutoff)
        except Exception:
            logger.exception("retention loop failed")
        await asyncio.sleep(interval)


class AgentSupervisor:
    """Checks every online agent's health without blocking the event loop (mostly)."""

    def __init__(self, db: DatabaseService) -> None:
        self.db = db
        self.agents = AgentService(db)
        self.guardian = GuardianService(db)
        self.last_reports: dict[int, dict[str, Any]] = {}

    async def check_agent(self, agent_id: int) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        report = await loop.run_in_executor(None, self.guardian.analyze, agent_id)
        self.last_reports[agent_id] = report
        return report

    async def sweep(self, stale_after_seconds: float = 300.0) -> list[int]:
        self.agents.mark_stale_offline(stale_after_seconds)
        unhealthy = []
        for agent in self.agents.list_online():
            report = await self.check_agent(agent.id)
            if "failing" in report["problems"]:
                self.agents.drain(agent.id)
                unhealthy.append(agent.id)
        return unhealthy

    async def run_forever(self, interval: float) -> None:
        while True:
            try:
                await self.sweep()
            except Exception:
                logger.exception("agent supervisor failed")
            await asyncio.sleep(interval)


def start_background_loops(db: DatabaseService, settings: Optional[Settings] = None) -> list[asyncio.Task]:
    settings = settings or load_settings()
    supervisor = AgentSupervisor(db)
    tasks = [
        asyncio.create_task(scheduler_loop(db, settings.scheduler_interval)),
        asyncio.create_task(reaper_loop(db, settings.reaper_interval, settings.stale_run_seconds)),
        asyncio.create_task(supervisor.run_forever(settings.supervisor_interval)),
        asyncio.create_task(retention_loop(db, settings.retention_interval, settings.log_retention_days)),
    ]
    _background_tasks.extend(tasks)
    return tasks


@app.on_event("startup")
async def startup() -> None:
    db = get_db_service()
    db.create_tables()
    start_background_loops(db)
    logger.info("jobboard started with %d background loops", len(_background_tasks))


@app.on_event("shutdown")
async def shutdown() -> None:
    for task in _background_tasks:
        task.cancel()
    await asyncio.gather(*_background_tasks, return_exceptions=True)
    _background_tasks.clear()


@app.get("/health")
def health():
    return {"database": get_db_service().ping()}
