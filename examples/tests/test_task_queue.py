import json
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Query

from jobboard.clock import utcnow
from jobboard.models import Job


def test_enqueue_without_session_creates_ready_job(db, task_queue, default_queue):
    job_id = task_queue.enqueue(default_queue.id, "one", {"b": 1, "a": 2}, priority=4)
    with db.get_session() as session:
        job = session.get(Job, job_id)
        assert (job.name, job.state, job.priority, job.source) == ("one", "ready", 4, "api")
        assert json.loads(job.payload) == {"a": 2, "b": 1}


def test_enqueue_with_session_joins_the_callers_transaction(db, task_queue, default_queue):
    with pytest.raises(RuntimeError):
        with db.get_session() as session:
            task_queue.enqueue(default_queue.id, "rolled-back", session=session)
            raise RuntimeError
    with db.get_session() as session:
        job_id = task_queue.enqueue(default_queue.id, "kept", session=session)
        assert session.get(Job, job_id) is not None
    assert task_queue.depth(default_queue.id) == 1


def test_enqueue_in_the_future_is_pending(task_queue, default_queue):
    task_queue.enqueue(default_queue.id, "later", scheduled_for=utcnow() + timedelta(hours=1))
    assert task_queue.counts_by_state(default_queue.id) == {"pending": 1}
    assert task_queue.get_next_task(default_queue.id) is None


def test_get_next_task_orders_by_priority_then_age(task_queue, default_queue):
    low = task_queue.enqueue(default_queue.id, "low", priority=1)
    high_1 = task_queue.enqueue(default_queue.id, "high-1", priority=9)
    task_queue.enqueue(default_queue.id, "high-2", priority=9)
    job = task_queue.get_next_task(default_queue.id)
    assert job.id == high_1
    assert job.name == "high-1"  # detached but loaded
    assert job.runs == []
    assert task_queue.peek(default_queue.id, limit=2) == [high_1, high_1 + 1]
    assert task_queue.peek(default_queue.id)[-1] == low


def test_get_next_task_on_empty_queue(task_queue, default_queue):
    assert task_queue.get_next_task(default_queue.id) is None
    assert task_queue.peek(default_queue.id) == []


def test_claim_is_exclusive_and_counts_attempts(db, task_queue, default_queue):
    job_id = task_queue.enqueue(default_queue.id, "j")
    assert task_queue.claim(job_id) is True
    assert task_queue.claim(job_id) is False
    with db.get_session() as session:
        job = session.get(Job, job_id)
        assert (job.state, job.attempts) == ("running", 1)


def test_mark_ready_promotes_due_pending_jobs(task_queue, default_queue, batch_queue, edit_job):
    due = task_queue.enqueue(default_queue.id, "due", scheduled_for=utcnow() + timedelta(hours=1))
    task_queue.enqueue(default_queue.id, "not-due", scheduled_for=utcnow() + timedelta(hours=2))
    other = task_queue.enqueue(batch_queue.id, "other", scheduled_for=utcnow() + timedelta(hours=1))
    edit_job(due, scheduled_for=utcnow() - timedelta(minutes=1))
    edit_job(other, scheduled_for=utcnow() - timedelta(minutes=1))
    assert task_queue.mark_ready(default_queue.id) == 1
    assert task_queue.counts_by_state(default_queue.id) == {"pending": 1, "ready": 1}
    assert task_queue.mark_ready(now=utcnow() + timedelta(hours=3)) == 2
    assert task_queue.counts_by_state() == {"ready": 3}


def test_complete_and_fail_with_retries(db, task_queue, default_queue):
    ok = task_queue.enqueue(default_queue.id, "ok")
    bad = task_queue.enqueue(default_queue.id, "bad")
    task_queue.claim(ok)
    task_queue.complete(ok)
    states = []
    for _ in range(3):
        assert task_queue.claim(bad)
        states.append(task_queue.fail(bad, "exit 1"))
    assert states == ["ready", "ready", "failed"]
    with db.get_session() as session:
        assert session.get(Job, ok).state == "succeeded"
        assert session.get(Job, ok).finished_at is not None
        assert session.get(Job, bad).finished_at is not None


def test_complete_unknown_job_raises(task_queue):
    with pytest.raises(KeyError):
        task_queue.complete(999)
    with pytest.raises(KeyError):
        task_queue.fail(999)


def test_requeue_stuck(task_queue, default_queue, edit_job):
    stuck = task_queue.enqueue(default_queue.id, "stuck")
    fresh = task_queue.enqueue(default_queue.id, "fresh")
    task_queue.claim(stuck)
    task_queue.claim(fresh)
    edit_job(stuck, updated_at=utcnow() - timedelta(hours=2))
    assert task_queue.requeue_stuck(3600) == 1
    assert task_queue.counts_by_state(default_queue.id) == {"ready": 1, "running": 1}
    assert task_queue.get_next_task(default_queue.id).id == stuck


def test_requeue_stuck_fallback_path(task_queue, default_queue, edit_job, monkeypatch):
    stuck = task_queue.enqueue(default_queue.id, "stuck")
    task_queue.claim(stuck)
    edit_job(stuck, updated_at=utcnow() - timedelta(hours=2))

    def conflicting_update(self, *args, **kwargs):
        raise IntegrityError("UPDATE jobs", {}, Exception("conflict"))

    monkeypatch.setattr(Query, "update", conflicting_update)
    assert task_queue.requeue_stuck(3600) == 1
    monkeypatch.undo()
    assert task_queue.counts_by_state(default_queue.id) == {"ready": 1}


def test_depth_counts_only_ready_jobs_of_the_queue(task_queue, default_queue, batch_queue):
    ids = [task_queue.enqueue(default_queue.id, f"d{i}") for i in range(3)]
    task_queue.enqueue(batch_queue.id, "b")
    task_queue.claim(ids[0])
    assert task_queue.depth(default_queue.id) == 2
    assert task_queue.depth(batch_queue.id) == 1


def test_counts_by_state_all_queues(task_queue, default_queue, batch_queue):
    a = task_queue.enqueue(default_queue.id, "a")
    task_queue.enqueue(batch_queue.id, "b")
    task_queue.claim(a)
    assert task_queue.counts_by_state() == {"ready": 1, "running": 1}
    assert task_queue.counts_by_state(batch_queue.id) == {"ready": 1}


def test_page(task_queue, default_queue):
    ids = [task_queue.enqueue(default_queue.id, f"j{i}") for i in range(7)]
    assert task_queue.page(default_queue.id, page=1, per_page=3) == ids[:3]
    assert task_queue.page(default_queue.id, page=3, per_page=3) == ids[6:]
    assert task_queue.page(default_queue.id, page=4, per_page=3) == []
