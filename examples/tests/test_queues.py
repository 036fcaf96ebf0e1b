from jobboard.models import Team


def test_create_queue_creates_missing_team(queue_service, db):
    queue = queue_service.create_queue("reports", team_name="analytics", max_concurrency=2)
    assert (queue.name, queue.max_concurrency, queue.paused) == ("reports", 2, False)
    with db.get_session() as session:
        team = session.query(Team).filter(Team.name == "analytics").one()
        assert queue.team_id == team.id


def test_create_queue_reuses_team(queue_service, team):
    a = queue_service.create_queue("a", team_name="platform")
    b = queue_service.create_queue("b", team_name="platform")
    assert a.team_id == b.team_id == team.id
    assert queue_service.create_queue("c").team_id is None


def test_get_by_name(queue_service, default_queue):
    assert queue_service.get_by_name("default").id == default_queue.id
    assert queue_service.get_by_name("nope") is None


def test_list_queues_and_pause(queue_service, default_queue, batch_queue):
    assert [q["name"] for q in queue_service.list_queues()] == ["batch", "default"]
    assert queue_service.pause(batch_queue.id) is True
    assert queue_service.is_paused(batch_queue.id) is True
    assert [q["name"] for q in queue_service.list_queues(include_paused=False)] == ["default"]
    assert queue_service.resume(batch_queue.id) is True
    assert queue_service.is_paused(batch_queue.id) is False
    assert queue_service.pause(999) is False
    assert queue_service.is_paused(999) is False


def test_overview(queue_service, seeded_jobs, task_queue):
    task_queue.claim(seeded_jobs["build"].id)
    task_queue.claim(seeded_jobs["report"].id)
    task_queue.complete(seeded_jobs["report"].id)
    overview = queue_service.overview()
    assert overview == [
        {"name": "batch", "paused": False, "ready": 1, "running": 0, "done": 1, "total": 2},
        {"name": "default", "paused": False, "ready": 2, "running": 1, "done": 0, "total": 3},
    ]


def test_busiest(queue_service, seeded_jobs, job_service):
    assert queue_service.busiest() == [("default", 3), ("batch", 2)]
    job_service.cancel(seeded_jobs["build"].id)
    job_service.cancel(seeded_jobs["test"].id)
    assert queue_service.busiest(1) == [("batch", 2)]


def test_queues_with_jobs_collection_joinedload(queue_service, seeded_jobs):
    queue_service.create_queue("empty")
    assert queue_service.queues_with_jobs() == {
        "batch": ["cleanup", "report"],
        "default": ["build", "deploy", "test"],
        "empty": [],
    }


def test_delete_queue_cascades(queue_service, seeded_jobs, job_service):
    assert queue_service.delete_queue("batch") is True
    assert queue_service.delete_queue("batch") is False
    assert job_service.count_jobs() == 3


def test_drain(queue_service, seeded_jobs, default_queue, task_queue, job_service):
    task_queue.claim(seeded_jobs["build"].id)
    assert queue_service.drain(default_queue.id) == 2
    assert queue_service.is_paused(default_queue.id)
    assert task_queue.counts_by_state(default_queue.id) == {"running": 1, "cancelled": 2}
