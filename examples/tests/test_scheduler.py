from datetime import timedelta

from jobboard.clock import utcnow
from jobboard.services.dispatch import DispatchService


def test_add_schedule_and_list(scheduler, default_queue):
    s = scheduler.add_schedule(default_queue.id, "hourly", 3600, {"op": "noop"}, priority=2)
    assert (s.name, s.interval_seconds, s.enabled, s.priority) == ("hourly", 3600, True, 2)
    scheduler.add_schedule(default_queue.id, "daily", 86400)
    assert [x["name"] for x in scheduler.list_for_queue(default_queue.id)] == ["daily", "hourly"]
    assert scheduler.count_enabled() == 2


def test_due_schedules(scheduler, default_queue):
    now = utcnow()
    a = scheduler.add_schedule(default_queue.id, "a", 60, first_run_at=now - timedelta(minutes=5))
    b = scheduler.add_schedule(default_queue.id, "b", 60, first_run_at=now - timedelta(minutes=10))
    scheduler.add_schedule(default_queue.id, "future", 60, first_run_at=now + timedelta(minutes=5))
    assert [s.id for s in scheduler.due_schedules(now)] == [b.id, a.id]
    scheduler.disable(b.id)
    assert [s.name for s in scheduler.due_schedules(now)] == ["a"]
    assert scheduler.count_enabled() == 2


def test_tick_enqueues_and_reschedules(scheduler, default_queue, task_queue, job_service):
    now = utcnow()
    s = scheduler.add_schedule(default_queue.id, "nightly", 600, {"op": "sum", "args": [1]}, 7, now - timedelta(seconds=1))
    created = scheduler.tick(now)
    assert len(created) == 1
    job = job_service.get_job(created[0])
    assert job.name.startswith("nightly@")
    assert (job.priority, job.source, job.state) == (7, "schedule", "ready")
    listed = scheduler.list_for_queue(default_queue.id)[0]
    assert listed["next_run_at"] == (now + timedelta(seconds=600)).isoformat()
    assert listed["last_run_at"] == now.isoformat()
    assert scheduler.tick(now) == []
    assert len(scheduler.tick(now + timedelta(seconds=601))) == 1
    assert s.id == listed["id"]


def test_paused_queue_skips_job_but_reschedules(scheduler, default_queue, queue_service, task_queue):
    now = utcnow()
    scheduler.add_schedule(default_queue.id, "s", 60, first_run_at=now)
    queue_service.pause(default_queue.id)
    assert scheduler.tick(now) == []
    assert task_queue.counts_by_state() == {}
    assert scheduler.due_schedules(now) == []


def test_disable_unknown(scheduler):
    assert scheduler.disable(999) is False


def test_dispatch_schedule_unknown_or_disabled(scheduler, default_queue):
    assert scheduler.dispatch.dispatch_schedule(999) is None
    s = scheduler.add_schedule(default_queue.id, "s", 60)
    scheduler.disable(s.id)
    assert scheduler.dispatch.dispatch_schedule(s.id) is None


def test_dispatch_and_scheduler_reference_each_other(db, scheduler):
    assert scheduler.dispatch.scheduler is scheduler
    standalone = DispatchService(db)
    assert standalone.scheduler.dispatch is not standalone
    assert standalone.scheduler.dispatch.scheduler is standalone.scheduler


def test_promote_ready_skips_paused_queues(db, task_queue, default_queue, batch_queue, queue_service, edit_job):
    later = utcnow() + timedelta(hours=1)
    a = task_queue.enqueue(default_queue.id, "a", scheduled_for=later)
    b = task_queue.enqueue(batch_queue.id, "b", scheduled_for=later)
    edit_job(a, scheduled_for=utcnow() - timedelta(seconds=1))
    edit_job(b, scheduled_for=utcnow() - timedelta(seconds=1))
    queue_service.pause(batch_queue.id)
    assert DispatchService(db).promote_ready() == 1
    assert task_queue.counts_by_state(batch_queue.id) == {"pending": 1}


def test_assign_picks_best_unpaused_job(db, seeded_jobs, agent, agent_service, queue_service, default_queue):
    dispatch = DispatchService(db)
    assert dispatch.assign(agent.id) == seeded_jobs["build"].id
    queue_service.pause(default_queue.id)
    assert dispatch.assign(agent.id) == seeded_jobs["cleanup"].id
    queue_service.resume(default_queue.id)
    for _ in range(3):
        assert dispatch.assign(agent.id) is not None
    assert dispatch.assign(agent.id) is None  # nothing ready any more
    agent_service.drain(agent.id)
    assert dispatch.assign(agent.id) is None
    assert dispatch.assign(999) is None


def test_reschedule_all(db, scheduler, default_queue):
    now = utcnow()
    scheduler.add_schedule(default_queue.id, "a", 60, first_run_at=now - timedelta(hours=3))
    scheduler.add_schedule(default_queue.id, "b", 60, first_run_at=now - timedelta(hours=2))
    assert scheduler.dispatch.reschedule_all(now) == 2
    assert scheduler.due_schedules(now) == []
