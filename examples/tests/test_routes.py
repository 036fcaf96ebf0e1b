"""Route handlers called directly, with the dependencies passed by hand (no HTTP client)."""

import asyncio
from datetime import timedelta

import pytest

pytest.importorskip("fastapi")

from fastapi import BackgroundTasks, HTTPException  # noqa: E402

from jobboard.api.routes import admin, agents, jobs, queues, reports, schedules, teams  # noqa: E402
from jobboard.api.schemas import (  # noqa: E402
    AgentRegister,
    HeartbeatIn,
    JobCreate,
    QueueCreate,
    ScheduleCreate,
    TeamCreate,
    UserCreate,
)
from jobboard.clock import utcnow  # noqa: E402
from jobboard.services.notifications import NotificationService  # noqa: E402


def run(coro):
    return asyncio.run(coro)


async def run_background(background: BackgroundTasks) -> None:
    await background()


def test_create_job_route_schedules_notification(db, default_queue, owner):
    background = BackgroundTasks()
    body = JobCreate(queue="default", name="r1", payload={"op": "noop"}, priority=2, owner_email=owner.email, tags=["x"])
    created = run(jobs.create_job(body, background, db=db))
    assert (created["name"], created["state"], created["priority"]) == ("r1", "ready", 2)
    assert len(background.tasks) == 1
    run(run_background(background))
    assert NotificationService(db).inbox(owner.id) == ["job r1 queued"]


def test_create_job_route_unknown_queue(db):
    with pytest.raises(HTTPException) as err:
        run(jobs.create_job(JobCreate(queue="nope", name="x"), BackgroundTasks(), db=db))
    assert err.value.status_code == 404


def test_job_read_routes(db, seeded_jobs, default_queue):
    listed = jobs.list_jobs(queue_id=default_queue.id, state=None, owner_id=None, limit=2, db=db)
    assert [j["name"] for j in listed] == ["build", "test"]
    assert jobs.search_jobs("dep", db=db) == {"names": ["deploy"]}
    detail = jobs.get_job(seeded_jobs["test"].id, db=db)
    assert detail["tags"] == ["ci", "py"]
    with pytest.raises(HTTPException):
        jobs.get_job(999, db=db)


def test_job_runs_route_queries_inline(db, seeded_jobs, task_queue, run_service):
    build = seeded_jobs["build"].id
    task_queue.claim(build)
    run_service.finish_run(run_service.start_run(build), ok=True)
    runs = run(jobs.job_runs(build, db=db))
    assert [(r["attempt"], r["state"]) for r in runs] == [(1, "succeeded")]
    assert run(jobs.job_runs(999, db=db)) == []


def test_cancel_and_next_task_routes(db, seeded_jobs, default_queue):
    assert run(jobs.cancel_job(seeded_jobs["build"].id, db=db)) == {"cancelled": True}
    with pytest.raises(HTTPException):
        run(jobs.cancel_job(999, db=db))
    nxt = run(jobs.next_task(default_queue.id, db=db))
    assert nxt["job"]["name"] == "test"
    assert run(jobs.reprioritise(default_queue.id, 1, db=db)) == {"updated": 2}


def test_next_task_route_empty(db, default_queue):
    assert run(jobs.next_task(default_queue.id, db=db)) == {"job": None}


def test_queue_routes(db, seeded_jobs, task_queue):
    created = queues.create_queue(QueueCreate(name="fresh", team="platform"), db=db)
    assert created["name"] == "fresh"
    assert [q["name"] for q in queues.list_queues(include_paused=True, db=db)] == ["batch", "default", "fresh"]
    assert queues.busiest(n=1, db=db) == [{"queue": "default", "active": 3}]
    got = run(queues.get_queue("default", db=db))
    assert (got["name"], got["depth"]) == ("default", 3)
    with pytest.raises(HTTPException):
        run(queues.get_queue("missing", db=db))
    assert run(queues.pause_queue(created["id"], db=db)) == {"paused": True}
    assert [q["name"] for q in queues.list_queues(include_paused=False, db=db)] == ["batch", "default"]
    assert run(queues.resume_queue(created["id"], db=db)) == {"paused": False}
    with pytest.raises(HTTPException):
        run(queues.pause_queue(999, db=db))
    with pytest.raises(HTTPException):
        run(queues.resume_queue(999, db=db))
    assert queues.queue_stats(got["id"], db=db) == {"ready": 3}


def test_agent_routes(db, default_queue, seeded_jobs):
    agent = run(agents.register_agent(AgentRegister(name="r-agent", capacity=4, labels="b,a"), db=db))
    assert agent["labels"] == ["a", "b"]
    assert [a["name"] for a in agents.online_agents(db=db)] == ["r-agent"]
    assert run(agents.heartbeat(agent["id"], HeartbeatIn(load=0.5), db=db)) == {"ok": True}
    with pytest.raises(HTTPException):
        run(agents.heartbeat(999, HeartbeatIn(), db=db))
    assert run(agents.assign(agent["id"], db=db)) == {"job_id": seeded_jobs["build"].id}
    health = run(agents.agent_health(agent["id"], db=db))
    assert health["healthy"] is True
    assert health["average_load"] == pytest.approx(0.5)
    assert agents.drain_agent(agent["id"], db=db) == {"status": "draining"}
    with pytest.raises(HTTPException):
        agents.drain_agent(999, db=db)
    assert agents.online_agents(db=db) == []


def test_schedule_routes(db, default_queue, task_queue):
    body = ScheduleCreate(queue_id=default_queue.id, name="every-minute", interval_seconds=60, payload={"op": "noop"})
    created = schedules.create_schedule(body, db=db)
    assert created["enabled"] is True
    assert [s["name"] for s in schedules.list_schedules(default_queue.id, db=db)] == ["every-minute"]
    ticked = run(schedules.tick(db=db))
    assert len(ticked["created"]) == 1
    assert task_queue.depth(default_queue.id) == 1
    assert run(schedules.disable_schedule(created["id"], db=db)) == {"disabled": True}
    assert schedules.list_schedules(default_queue.id, db=db)[0]["enabled"] is False


def test_report_routes(db, seeded_jobs, default_queue, agent):
    daily = run(reports.daily(db=db))
    assert daily["states"] == {"ready": 5}
    assert [q["name"] for q in run(reports.queues(db=db))] == ["batch", "default"]
    assert run(reports.agent(agent.id, db=db))["health"]["failures"] == 0
    csv_text = run(reports.export(default_queue.id, db=db))
    assert csv_text.splitlines()[1].endswith(",build,ready,5,0")
    since = utcnow() - timedelta(days=1)
    assert reports.throughput(since, db=db) == {"batch": 0, "default": 0}
    assert run(reports.snapshot(db=db))["jobs"] == 5


def test_admin_routes(db, seeded_jobs, owner, legacy_store):
    background = BackgroundTasks()
    scheduled = run(admin.purge(7, background, db=db))
    assert scheduled["scheduled"] is True
    run(run_background(background))
    assert admin.backlog(db=db) == {"finished_jobs": 0, "logs": 0, "heartbeats": 0}
    legacy_store.insert_legacy_job("from-legacy")
    assert admin.import_legacy(batch=10, db=db) == {"imported": 1}
    audit = run(admin.audit(n=2, db=db))
    assert audit["by_action"] == {"job.create": 5}
    assert len(audit["latest"]) == 2
    NotificationService(db).notify(owner.id, "hello")
    assert run(admin.notifications(owner.id, page=1, db=db)) == {"unread": 1, "items": ["hello"]}
    assert admin.mark_read(owner.id, db=db) == {"marked": 1}


def test_team_routes(db, seeded_jobs):
    team = teams.create_team(TeamCreate(name="data"), db=db)
    user = run(teams.add_user(team["id"], UserCreate(email="cy@example.com"), db=db))
    assert user["team_id"] == team["id"]
    with pytest.raises(HTTPException):
        run(teams.add_user(999, UserCreate(email="x@example.com"), db=db))
    assert [m["email"] for m in run(teams.members(team["id"], db=db))] == ["cy@example.com"]
    assert teams.list_teams(db=db)["data"] == ["cy@example.com"]
    assert teams.team_load(db=db) == {"platform": 3}


def test_get_db_service_dependency(api_db):
    from jobboard.api.deps import get_db_service

    assert get_db_service() is api_db
