import asyncio
from datetime import timedelta

import pytest

from jobboard.clock import utcnow
from jobboard.models import JobRun
from jobboard.services.metrics import MetricsService
from jobboard.services.reports import ReportService


@pytest.fixture
def metrics(db):
    return MetricsService(db)


@pytest.fixture
def reports(db):
    return ReportService(db)


@pytest.fixture
def finished(seeded_jobs, task_queue, run_service, agent):
    """build and report succeed, cleanup fails for good."""
    for name in ("build", "report"):
        job_id = seeded_jobs[name].id
        task_queue.claim(job_id)
        run_service.finish_run(run_service.start_run(job_id, agent.id), ok=True)
    cleanup = seeded_jobs["cleanup"].id
    for _ in range(3):
        task_queue.claim(cleanup)
        run_service.finish_run(run_service.start_run(cleanup, agent.id), ok=False, message="bad")
    return seeded_jobs


def test_throughput_cte(metrics, finished, queue_service):
    queue_service.create_queue("idle")
    since = utcnow() - timedelta(hours=1)
    assert metrics.throughput(since) == {"batch": 1, "default": 1, "idle": 0}
    assert metrics.throughput(since, state="failed") == {"batch": 1, "default": 0, "idle": 0}
    assert metrics.throughput(utcnow() + timedelta(hours=1)) == {"batch": 0, "default": 0, "idle": 0}


def test_table_sizes(metrics, finished):
    assert metrics.table_sizes() == {"queues": 2, "jobs": 5, "job_runs": 5, "agents": 1, "schedules": 0}


def test_state_counts(metrics, finished):
    assert metrics.state_counts() == {"succeeded": 2, "failed": 1, "ready": 2}


def test_average_attempts(metrics, finished, batch_queue, default_queue):
    assert metrics.average_attempts() == pytest.approx((1 + 1 + 3) / 3)
    assert metrics.average_attempts(batch_queue.id) == pytest.approx(2.0)
    assert metrics.average_attempts(default_queue.id) == pytest.approx(1.0)


def test_average_attempts_empty(metrics):
    assert metrics.average_attempts() == 0.0


def test_longest_runs(db, metrics, finished):
    with db.get_session() as session:
        runs = session.query(JobRun).order_by(JobRun.id).all()
        base = utcnow() - timedelta(hours=1)
        for i, run in enumerate(runs):
            run.started_at = base
            run.finished_at = base + timedelta(seconds=10 * (i + 1))
        ids = [run.id for run in runs]
    longest = metrics.longest_runs(2)
    assert [run_id for run_id, _ in longest] == [ids[-1], ids[-2]]
    assert longest[0][1] == pytest.approx(50.0, abs=0.01)


def test_running_count_and_snapshot(metrics, seeded_jobs, task_queue, run_service):
    task_queue.claim(seeded_jobs["build"].id)
    run_service.start_run(seeded_jobs["build"].id)
    assert metrics.running_count() == 1
    snap = asyncio.run(metrics.snapshot())
    assert (snap["jobs"], snap["running_runs"]) == (5, 1)


def test_daily_summary(reports, finished):
    summary = asyncio.run(reports.daily_summary())
    assert summary["states"] == {"succeeded": 2, "failed": 1, "ready": 2}
    assert summary["error_rate"] == pytest.approx(3 / 5)
    assert summary["throughput"] == {"batch": 1, "default": 1}


def test_queue_overview_three_calls_deep(reports, finished):
    overview = asyncio.run(reports.queue_overview())
    assert [(q["name"], q["done"], q["ready"]) for q in overview] == [("batch", 2, 0), ("default", 1, 2)]


@pytest.mark.asyncio
async def test_agent_report(reports, finished, agent, agent_service):
    agent_service.heartbeat(agent.id, load=0.2)
    report = await reports.agent_report(agent.id)
    assert report["health"]["failures"] == 3
    assert report["health"]["problems"] == ["failing"]
    assert report["active_runs"] == []


def test_export_csv(reports, seeded_jobs, default_queue):
    lines = reports.export_csv(default_queue.id).splitlines()
    assert lines[0] == "id,name,state,priority,attempts"
    assert lines[1:] == [
        f"{seeded_jobs['build'].id},build,ready,5,0",
        f"{seeded_jobs['test'].id},test,ready,3,0",
        f"{seeded_jobs['deploy'].id},deploy,ready,1,0",
    ]
