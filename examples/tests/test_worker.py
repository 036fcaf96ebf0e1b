import time
from datetime import timedelta

import pytest

from jobboard.clock import utcnow
from jobboard.models import JobRun
from jobboard.services.runs import RunService
from jobboard.worker import TaskError, Worker, execute_payload, run_task


def wait_for(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_execute_payload():
    assert execute_payload({}) is None
    assert execute_payload({"op": "sum", "args": [1, 2, 3]}) == 6
    assert execute_payload({"op": "echo", "args": ["a"]}) == ["a"]
    assert execute_payload({"op": "sleep", "args": [0.01]}) == "slept"
    with pytest.raises(TaskError, match="nope"):
        execute_payload({"op": "fail", "message": "nope"})
    with pytest.raises(TaskError, match="unknown op"):
        execute_payload({"op": "rm -rf"})


def test_run_task_success_and_double_claim(db, seeded_jobs, run_service, job_service):
    build = seeded_jobs["build"].id
    assert run_task(db, build) is True
    assert run_task(db, build) is False
    assert job_service.get_job(build).state == "succeeded"
    run_id = run_service.history(build)[0]["id"]
    assert run_service.tail(run_id, 1) == ["result: 3"]


def test_run_task_failure_is_recorded(db, seeded_jobs, run_service, job_service):
    cleanup = seeded_jobs["cleanup"].id
    assert run_task(db, cleanup) is True
    assert job_service.get_job(cleanup).state == "ready"
    history = run_service.history(cleanup)
    assert [(r["state"], r["exit_code"]) for r in history] == [("failed", 1)]
    assert run_service.logs_for(history[0]["id"])[-1] == ("error", "task failed")


def test_worker_registers_itself_as_agent(db, agent_service):
    worker = Worker(db, name="w-1", max_workers=2)
    assert agent_service.get(worker.agent_id).name == "w-1"
    assert agent_service.get(worker.agent_id).capacity == 2


def test_run_once_uses_a_thread_pool(db, seeded_jobs, task_queue, run_service):
    worker = Worker(db, max_workers=2)
    assert worker.run_once(batch=3) == 3
    counts = task_queue.counts_by_state()
    assert counts == {"succeeded": 2, "ready": 3}  # cleanup failed its first attempt
    assert run_service.runs_per_agent() == {worker.agent_id: 3}


def test_run_until_empty_retries_failures(db, seeded_jobs, task_queue):
    worker = Worker(db, max_workers=2)
    total = worker.run_until_empty(batch=4)
    assert total == 7  # four good jobs once, cleanup three times
    assert task_queue.counts_by_state() == {"succeeded": 4, "failed": 1}
    assert worker.run_once() == 0


def test_worker_restricted_to_queues(db, seeded_jobs, batch_queue, task_queue, default_queue):
    worker = Worker(db, max_workers=2, queue_ids=[batch_queue.id])
    worker.run_until_empty()
    assert task_queue.counts_by_state(default_queue.id) == {"ready": 3}
    assert task_queue.counts_by_state(batch_queue.id) == {"succeeded": 1, "failed": 1}


def test_heartbeat_thread(db, agent_service):
    worker = Worker(db, max_workers=2)
    thread = worker.start_heartbeat(interval=0.01)
    try:
        assert thread.daemon
        assert wait_for(lambda: len(agent_service.recent_heartbeats(worker.agent_id)) >= 2)
    finally:
        worker.stop()
    assert not thread.is_alive()
    assert agent_service.recent_heartbeats(worker.agent_id)[0] == 0.0


def test_promoter_thread(db, task_queue, default_queue, edit_job):
    job_id = task_queue.enqueue(default_queue.id, "later", scheduled_for=utcnow() + timedelta(hours=1))
    edit_job(job_id, scheduled_for=utcnow() - timedelta(seconds=1))
    worker = Worker(db, max_workers=1)
    worker.start_promoter(interval=0.01)
    try:
        assert wait_for(lambda: task_queue.depth(default_queue.id) == 1)
    finally:
        worker.stop()


def test_reaper_thread_marks_stale_runs_lost(db, seeded_jobs, task_queue):
    worker = Worker(db, max_workers=1)
    build = seeded_jobs["build"].id
    task_queue.claim(build)
    run_id = RunService(db).start_run(build, worker.agent_id)
    with db.get_session() as session:
        session.get(JobRun, run_id).started_at = utcnow() - timedelta(hours=1)
    worker.start_reaper(interval=0.01, stale_seconds=60)
    try:
        assert wait_for(lambda: RunService(db).latest_state(build) == "lost")
    finally:
        worker.stop()
    assert RunService(db).logs_for(run_id)[-1] == ("error", "run lost: no progress")


def test_reap_stale_runs_keeps_fresh_runs(db, seeded_jobs, task_queue):
    worker = Worker(db, max_workers=1)
    task_queue.claim(seeded_jobs["test"].id)
    RunService(db).start_run(seeded_jobs["test"].id, worker.agent_id)
    assert worker.reap_stale_runs(60) == 0
    assert RunService(db).active_for_agent(worker.agent_id) != []
