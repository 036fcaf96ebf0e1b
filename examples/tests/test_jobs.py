import asyncio

import pytest

from jobboard.models import Job
from jobboard.services.audit import AuditService
from jobboard.services.jobs import JobNotFound


def test_create_job_resolves_queue_owner_and_tags(job_service, default_queue, owner, db):
    job = job_service.create_job("default", "build", {"op": "noop"}, 2, owner.email, ["ci", "fast"])
    assert (job.name, job.state, job.priority, job.owner_id, job.queue_id) == ("build", "ready", 2, owner.id, default_queue.id)
    detail = job_service.get_job_detail(job.id)
    assert detail["tags"] == ["ci", "fast"]
    assert detail["owner"] == "ada@example.com"
    assert AuditService(db).events_for("job", job.id) == [
        {"actor": "ada@example.com", "action": "job.create", "detail": "build"}
    ]


def test_create_job_reuses_tags_and_ignores_unknown_owner(job_service, default_queue):
    first = job_service.create_job("default", "a", tags=["shared"])
    second = job_service.create_job("default", "b", owner_email="nobody@example.com", tags=["shared"])
    assert second.owner_id is None
    assert job_service.jobs_with_tag("shared") == ["a", "b"]
    assert first.id != second.id


def test_create_job_unknown_queue(job_service):
    with pytest.raises(LookupError):
        job_service.create_job("missing", "x")


def test_get_job_uses_primary_key_lookup(job_service, seeded_jobs):
    job = job_service.get_job(seeded_jobs["test"].id)
    assert job.name == "test"
    assert job.runs == []
    assert job_service.get_job(12345) is None
    with pytest.raises(JobNotFound):
        job_service.require_job(12345)
    assert job_service.require_job(seeded_jobs["build"].id).name == "build"


def test_get_job_detail(job_service, seeded_jobs):
    detail = job_service.get_job_detail(seeded_jobs["report"].id)
    assert detail["queue"] == "batch"
    assert detail["owner"] is None
    assert detail["payload"] == {"op": "sum", "args": [4]}
    assert detail["runs"] == []
    assert job_service.get_job_detail(999) is None


def test_list_jobs_filters_combine(job_service, seeded_jobs, default_queue, owner):
    all_jobs = job_service.list_jobs()
    assert [j["name"] for j in all_jobs] == ["build", "test", "cleanup", "deploy", "report"]
    assert [j["name"] for j in job_service.list_jobs(queue_id=default_queue.id)] == ["build", "test", "deploy"]
    assert [j["name"] for j in job_service.list_jobs(owner_id=owner.id)] == ["build", "test"]
    job_service.cancel(seeded_jobs["test"].id)
    assert [j["name"] for j in job_service.list_jobs(state="cancelled")] == ["test"]
    assert [j["name"] for j in job_service.list_jobs(queue_id=default_queue.id, state="ready", limit=1)] == ["build"]


def test_search(job_service, seeded_jobs):
    assert job_service.search("e") == ["cleanup", "report", "deploy", "test"]
    assert job_service.search("ep") == ["report", "deploy"]
    assert job_service.search("e", limit=1) == ["cleanup"]
    assert job_service.search("zzz") == []


def test_recent_uses_2_0_select(job_service, seeded_jobs, default_queue):
    assert job_service.recent(default_queue.id, n=2) == [seeded_jobs["deploy"].id, seeded_jobs["test"].id]


def test_names_in_state(job_service, seeded_jobs, task_queue):
    task_queue.claim(seeded_jobs["test"].id)
    assert job_service.names_in_state("ready") == ["build", "deploy", "report", "cleanup"]
    assert job_service.names_in_state("running") == ["test"]
    assert job_service.names_in_state("failed") == []


def test_cancel(job_service, seeded_jobs, task_queue, db):
    build = seeded_jobs["build"].id
    assert job_service.cancel(build, actor="ops") is True
    assert job_service.cancel(build) is False
    running = seeded_jobs["deploy"].id
    task_queue.claim(running)
    assert job_service.cancel(running) is False
    with pytest.raises(JobNotFound):
        job_service.cancel(999)
    assert [e["action"] for e in AuditService(db).events_for("job", build)] == ["job.create", "job.cancel"]


def test_reprioritise_only_touches_waiting_jobs(job_service, seeded_jobs, default_queue, task_queue):
    task_queue.claim(seeded_jobs["build"].id)
    assert job_service.reprioritise(default_queue.id, 10) == 2
    priorities = {j["name"]: j["priority"] for j in job_service.list_jobs(queue_id=default_queue.id)}
    assert priorities == {"build": 5, "test": 13, "deploy": 11}


def test_rescore_and_top_scored(job_service, seeded_jobs):
    job_service.rescore({seeded_jobs["deploy"].id: 0.9, seeded_jobs["report"].id: 0.4, seeded_jobs["build"].id: 0.9})
    assert job_service.top_scored(3) == [("build", 0.9), ("deploy", 0.9), ("report", 0.4)]


def test_delete_cancelled(job_service, seeded_jobs, default_queue):
    job_service.cancel(seeded_jobs["deploy"].id)
    job_service.cancel(seeded_jobs["report"].id)
    assert job_service.delete_cancelled(default_queue.id) == 1
    assert job_service.get_job(seeded_jobs["deploy"].id) is None
    assert job_service.get_job(seeded_jobs["report"].id).state == "cancelled"


def test_count_jobs(job_service, seeded_jobs):
    assert job_service.count_jobs() == 5


def test_count_jobs_empty(job_service):
    assert job_service.count_jobs() == 0


def test_jobs_with_tag(job_service, seeded_jobs):
    assert job_service.jobs_with_tag("ci") == ["build", "test"]
    assert job_service.jobs_with_tag("nightly") == ["report"]
    assert job_service.jobs_with_tag("none") == []


def test_owner_summary(job_service, seeded_jobs):
    assert job_service.owner_summary() == [("ada@example.com", 2), ("bob@example.com", 1)]


def test_retry_failed(job_service, seeded_jobs, task_queue, batch_queue, db):
    cleanup = seeded_jobs["cleanup"].id
    for _ in range(3):
        task_queue.claim(cleanup)
        task_queue.fail(cleanup)
    assert job_service.retry_failed(batch_queue.id) == 1
    with db.get_session() as session:
        job = session.get(Job, cleanup)
        assert (job.state, job.max_attempts, job.finished_at) == ("ready", 4, None)
    assert job_service.retry_failed(batch_queue.id) == 0


def test_oldest_pending_name(job_service, seeded_jobs, owner, other_user, team_service):
    assert job_service.oldest_pending_name(owner.id) == "build"
    job_service.cancel(seeded_jobs["build"].id)
    assert job_service.oldest_pending_name(owner.id) == "test"
    loner = team_service.add_user(None, "loner@example.com")
    assert job_service.oldest_pending_name(loner.id) is None


def test_submit_is_async_but_writes_synchronously(job_service, default_queue, task_queue):
    job_id = asyncio.run(job_service.submit("default", "async-job", {"op": "noop"}))
    assert task_queue.peek(default_queue.id) == [job_id]
    with pytest.raises(LookupError):
        asyncio.run(job_service.submit("missing", "x"))


@pytest.mark.asyncio
async def test_submit_from_an_event_loop(job_service, default_queue):
    first = await job_service.submit("default", "a")
    second = await job_service.submit("default", "b")
    assert second == first + 1
