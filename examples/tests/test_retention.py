from datetime import timedelta

import pytest

from jobboard.clock import utcnow
from jobboard.models import Job, RunLog
from jobboard.services.retention import RetentionService


@pytest.fixture
def retention(db):
    return RetentionService(db)


@pytest.fixture
def history(db, seeded_jobs, task_queue, run_service, agent, agent_service):
    """build finished 10 days ago, report finished now; logs and heartbeats of both ages."""
    for name in ("build", "report"):
        job_id = seeded_jobs[name].id
        task_queue.claim(job_id)
        run_service.finish_run(run_service.start_run(job_id, agent.id), ok=True, message="ok")
    old = utcnow() - timedelta(days=10)
    with db.get_session() as session:
        session.get(Job, seeded_jobs["build"].id).finished_at = old
        for log in session.query(RunLog).join(RunLog.run).filter_by(job_id=seeded_jobs["build"].id):
            log.created_at = old
    agent_service.heartbeat(agent.id, at=old)
    agent_service.heartbeat(agent.id)
    return seeded_jobs


def test_backlog(retention, history):
    assert retention.backlog() == {"finished_jobs": 2, "logs": 4, "heartbeats": 2}


def test_purge_logs(retention, history, run_service):
    assert retention.purge_logs(utcnow() - timedelta(days=1)) == 2
    assert retention.backlog()["logs"] == 2


def test_purge_finished_jobs_removes_runs_logs_and_tags(retention, history, job_service, db):
    assert retention.purge_finished_jobs(utcnow() - timedelta(days=1)) == 1
    assert job_service.get_job(history["build"].id) is None
    assert job_service.jobs_with_tag("ci") == ["test"]
    assert retention.backlog() == {"finished_jobs": 1, "logs": 2, "heartbeats": 2}
    assert retention.purge_finished_jobs(utcnow() - timedelta(days=1)) == 0


def test_purge_all(retention, history):
    assert retention.purge_all(utcnow() - timedelta(days=1)) == {"logs": 2, "jobs": 1, "heartbeats": 1}
    assert retention.backlog() == {"finished_jobs": 1, "logs": 2, "heartbeats": 1}


def test_purge_nothing(retention, seeded_jobs):
    assert retention.purge_all(utcnow() - timedelta(days=1)) == {"logs": 0, "jobs": 0, "heartbeats": 0}
