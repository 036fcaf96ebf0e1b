"""The application start-up, its background loops and the AsyncSession routes."""

import asyncio
from datetime import timedelta

import pytest

pytest.importorskip("fastapi")

from jobboard.api import deps, main  # noqa: E402
from jobboard.clock import utcnow  # noqa: E402
from jobboard.config import Settings  # noqa: E402
from jobboard.models import JobRun  # noqa: E402
from jobboard.services.runs import RunService  # noqa: E402
from jobboard.services.scheduler import SchedulerService  # noqa: E402


async def wait_until(predicate, timeout=5.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if predicate():
            return True
        await asyncio.sleep(0.01)
    return False


async def cancel(*tasks):
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def test_app_has_all_routers():
    paths = {route.path for route in main.app.routes}
    assert {"/jobs", "/queues", "/agents", "/schedules", "/reports/daily", "/admin/purge", "/teams", "/v2/jobs"} <= paths


@pytest.mark.asyncio
async def test_scheduler_loop_creates_jobs(db, default_queue, task_queue):
    SchedulerService(db).add_schedule(default_queue.id, "tick", 3600, first_run_at=utcnow() - timedelta(seconds=1))
    task = asyncio.create_task(main.scheduler_loop(db, 0.01))
    try:
        assert await wait_until(lambda: task_queue.depth(default_queue.id) == 1)
    finally:
        await cancel(task)


@pytest.mark.asyncio
async def test_reaper_loop_fails_lost_runs(db, seeded_jobs, task_queue, job_service):
    build = seeded_jobs["build"].id
    task_queue.claim(build)
    run_id = RunService(db).start_run(build)
    with db.get_session() as session:
        session.get(JobRun, run_id).started_at = utcnow() - timedelta(hours=2)
    task = asyncio.create_task(main.reaper_loop(db, 0.01, stale_seconds=60))
    try:
        assert await wait_until(lambda: RunService(db).latest_state(build) == "lost")
        assert await wait_until(lambda: job_service.get_job(build).state == "ready")
        await asyncio.sleep(0.05)  # a few idle rounds: the loop sleeps and continues inside its session block
        assert not task.done()
    finally:
        await cancel(task)


@pytest.mark.asyncio
async def test_supervisor_offloads_analysis(db, agent, agent_service, default_queue, task_queue, run_service):
    agent_service.heartbeat(agent.id, load=0.1)
    for i in range(3):
        job_id = task_queue.enqueue(default_queue.id, f"f{i}")
        task_queue.claim(job_id)
        run_service.finish_run(run_service.start_run(job_id, agent.id), ok=False)
    healthy = agent_service.register("agent-b")
    agent_service.heartbeat(healthy.id, load=0.1)
    supervisor = main.AgentSupervisor(db)
    assert await supervisor.sweep() == [agent.id]
    assert agent_service.get(agent.id).status == "draining"
    assert supervisor.last_reports[healthy.id]["healthy"] is True


@pytest.mark.asyncio
async def test_retention_loop_uses_a_thread(db, seeded_jobs, task_queue, edit_job):
    build = seeded_jobs["build"].id
    task_queue.complete(build)
    edit_job(build, finished_at=utcnow() - timedelta(days=30))
    task = asyncio.create_task(main.retention_loop(db, 0.01, keep_days=7))
    try:
        assert await wait_until(lambda: task_queue.counts_by_state().get("succeeded", 0) == 0)
    finally:
        await cancel(task)


@pytest.mark.asyncio
async def test_startup_starts_four_loops_and_shutdown_stops_them(api_db, monkeypatch):
    monkeypatch.setattr(main, "load_settings", lambda: Settings(database_url=api_db.url, scheduler_interval=0.01))
    await main.startup()
    tasks = list(main._background_tasks)
    assert len(tasks) == 4
    await asyncio.sleep(0.05)
    assert not any(task.done() for task in tasks)
    await main.shutdown()
    assert all(task.cancelled() for task in tasks)
    assert main._background_tasks == []
    assert main.health() == {"database": True}


@pytest.mark.asyncio
async def test_v2_routes_with_async_session(db, seeded_jobs):
    pytest.importorskip("aiosqlite")
    from jobboard.api.routes import jobs_v2

    deps.configure_async(db.url.replace("sqlite://", "sqlite+aiosqlite://", 1))
    try:
        agen = deps.get_async_session()
        session = await agen.__anext__()
        try:
            listed = await jobs_v2.list_jobs(state="ready", limit=2, session=session)
            assert [j["name"] for j in listed] == ["build", "test"]
            assert await jobs_v2.count_jobs(session=session) == {"count": 5}
            detail = await jobs_v2.get_job(seeded_jobs["deploy"].id, session=session)
            assert detail["name"] == "deploy" and detail["runs"] == []
            with pytest.raises(Exception) as err:
                await jobs_v2.get_job(999, session=session)
            assert getattr(err.value, "status_code", None) == 404
        finally:
            await agen.aclose()
    finally:
        await deps.dispose_async()
