from datetime import timedelta

from jobboard.clock import utcnow
from jobboard.services.guardian import GuardianService


def _run_and_fail(task_queue, run_service, queue_id, agent_id, n):
    for i in range(n):
        job_id = task_queue.enqueue(queue_id, f"f{i}")
        task_queue.claim(job_id)
        run_id = run_service.start_run(job_id, agent_id)
        run_service.finish_run(run_id, ok=False, exit_code=2, message="boom")


def test_healthy_agent(db, agent, agent_service):
    agent_service.heartbeat(agent.id, load=0.3)
    report = GuardianService(db).analyze(agent.id)
    assert report["healthy"] is True
    assert report["problems"] == []
    assert report["failures"] == 0 and report["running"] == 0
    assert report["silence_seconds"] < 60


def test_silent_and_overloaded_agent(db, agent, agent_service):
    agent_service.heartbeat(agent.id, load=0.95, at=utcnow() - timedelta(hours=1))
    report = GuardianService(db).analyze(agent.id)
    assert report["problems"] == ["silent", "overloaded"]


def test_agent_without_heartbeats_is_silent(db, agent):
    report = GuardianService(db).analyze(agent.id)
    assert report["silence_seconds"] is None
    assert report["problems"] == ["silent"]
    assert report["average_load"] is None


def test_failing_agent_is_quarantined(db, agent, agent_service, task_queue, run_service, default_queue):
    agent_service.heartbeat(agent.id, load=0.1)
    _run_and_fail(task_queue, run_service, default_queue.id, agent.id, 3)
    job_id = task_queue.enqueue(default_queue.id, "live")
    task_queue.claim(job_id)
    run_service.start_run(job_id, agent.id)
    guardian = GuardianService(db)
    report = guardian.analyze(agent.id)
    assert report["failures"] == 3
    assert report["running"] == 1
    assert report["problems"] == ["failing"]
    assert guardian.quarantine_if_unhealthy(agent.id) is True
    assert agent_service.get(agent.id).status == "draining"


def test_quarantine_leaves_healthy_agents(db, agent, agent_service):
    agent_service.heartbeat(agent.id, load=0.1)
    assert GuardianService(db).quarantine_if_unhealthy(agent.id) is False
    assert agent_service.get(agent.id).status == "online"
