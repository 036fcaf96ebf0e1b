from datetime import timedelta

import pytest

from jobboard.clock import utcnow
from jobboard.models import JobRun
from jobboard.services.repository import RunRepository, TagRepository


@pytest.fixture
def claimed_job(task_queue, default_queue):
    job_id = task_queue.enqueue(default_queue.id, "work")
    task_queue.claim(job_id)
    return job_id


def test_start_run_records_attempt_and_log(run_service, claimed_job, agent):
    run_id = run_service.start_run(claimed_job, agent.id)
    assert run_service.history(claimed_job) == [
        {
            "id": run_id,
            "job_id": claimed_job,
            "agent_id": agent.id,
            "attempt": 1,
            "state": "running",
            "exit_code": None,
            "started_at": run_service.history(claimed_job)[0]["started_at"],
            "finished_at": None,
        }
    ]
    assert run_service.logs_for(run_id) == [("info", "attempt 1 started")]
    assert run_service.active_for_agent(agent.id) == [run_id]


def test_start_run_unknown_job(run_service):
    with pytest.raises(LookupError):
        run_service.start_run(404)


def test_finish_run_success_completes_job(run_service, claimed_job, job_service):
    run_id = run_service.start_run(claimed_job)
    assert run_service.finish_run(run_id, ok=True, message="done") == "succeeded"
    assert job_service.get_job(claimed_job).state == "succeeded"
    assert run_service.latest_state(claimed_job) == "succeeded"
    assert run_service.logs_for(run_id)[-1] == ("info", "done")


def test_finish_run_failure_retries_then_fails(run_service, claimed_job, task_queue):
    states = []
    for attempt in range(1, 4):
        run_id = run_service.start_run(claimed_job)
        states.append(run_service.finish_run(run_id, ok=False, exit_code=attempt, message=f"err {attempt}"))
        if attempt < 3:
            assert task_queue.claim(claimed_job)
    assert states == ["ready", "ready", "failed"]
    history = run_service.history(claimed_job)
    assert [(r["attempt"], r["state"], r["exit_code"]) for r in history] == [
        (1, "failed", 1),
        (2, "failed", 2),
        (3, "failed", 3),
    ]
    assert run_service.latest_state(claimed_job) == "failed"


def test_finish_unknown_run(run_service):
    with pytest.raises(LookupError):
        run_service.finish_run(999, ok=True)


def test_latest_state_without_runs(run_service, claimed_job):
    assert run_service.latest_state(claimed_job) is None
    assert run_service.history(claimed_job) == []


def test_append_log_and_tail(run_service, claimed_job, db):
    run_id = run_service.start_run(claimed_job)
    run_service.append_log(run_id, "step 1")
    with db.get_session() as session:
        run_service.append_log(run_id, "step 2", session=session)
        run_service.append_log(run_id, "warning", level="warn", session=session)
    assert run_service.tail(run_id, 2) == ["step 2", "warning"]
    assert run_service.tail(run_id) == ["step 1", "step 2", "warning"]
    assert run_service.log_count(run_id) == 4
    assert run_service.logs_for(run_id)[-1] == ("warn", "warning")


def test_error_rate(run_service, task_queue, default_queue, db):
    assert run_service.error_rate() == 0.0
    for i, ok in enumerate([True, False, True, True]):
        job_id = task_queue.enqueue(default_queue.id, f"j{i}")
        task_queue.claim(job_id)
        run_service.finish_run(run_service.start_run(job_id), ok=ok)
    assert run_service.error_rate() == pytest.approx(0.25)
    with db.get_session() as session:
        first = session.query(JobRun).order_by(JobRun.id).first()
        first.started_at = utcnow() - timedelta(days=2)
    assert run_service.error_rate(since=utcnow() - timedelta(days=1)) == pytest.approx(1 / 3)


def test_runs_per_agent(run_service, task_queue, default_queue, agent):
    for i, agent_id in enumerate([agent.id, agent.id, None]):
        job_id = task_queue.enqueue(default_queue.id, f"j{i}")
        task_queue.claim(job_id)
        run_service.start_run(job_id, agent_id)
    assert run_service.runs_per_agent() == {agent.id: 2, None: 1}


def test_run_repository_shares_the_session(db, claimed_job, agent):
    with db.get_session() as session:
        repo = RunRepository(session)
        run = repo.add(JobRun(job_id=claimed_job, agent_id=agent.id, attempt=1))
        repo.log(run.id, "x")
        session.flush()
        assert repo.session is session
        assert [r.id for r in repo.for_job(claimed_job)] == [run.id]
        assert repo.latest(claimed_job).id == run.id
        assert [r.id for r in repo.active_for_agent(agent.id)] == [run.id]
        assert repo.log_count(run.id) == 1
        assert repo.get(run.id) is run


def test_tag_repository(db, seeded_jobs):
    with db.get_session() as session:
        repo = TagRepository(session)
        assert repo.usage() == [("ci", 2), ("nightly", 1), ("py", 1)]
        assert repo.get_or_create("ci").name == "ci"
        new = repo.get_or_create("new")
        assert new.id is not None
        from jobboard.models import Job

        assert repo.names_for(session.get(Job, seeded_jobs["test"].id)) == ["ci", "py"]
