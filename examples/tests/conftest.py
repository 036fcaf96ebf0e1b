"""Shared fixtures. All sync: the central ``db`` fixture builds a fresh SQLite database."""

from __future__ import annotations

from datetime import timedelta
from typing import Iterator

import pytest

from jobboard.clock import utcnow
from jobboard.db import DatabaseService
from jobboard.legacy import store as legacy_store_module
from jobboard.models import Agent, Job, Queue, Team, User
from jobboard.services.agents import AgentService
from jobboard.services.jobs import JobService
from jobboard.services.queues import QueueService
from jobboard.services.runs import RunService
from jobboard.services.scheduler import SchedulerService
from jobboard.services.task_queue import TaskQueueService
from jobboard.services.teams import TeamService


@pytest.fixture
def db(tmp_path) -> Iterator[DatabaseService]:
    service = DatabaseService(f"sqlite:///{tmp_path / 'jobboard.db'}")
    service.create_tables()
    yield service
    service.drop_tables()
    service.dispose()


@pytest.fixture
def task_queue(db) -> TaskQueueService:
    return TaskQueueService(db)


@pytest.fixture
def job_service(db) -> JobService:
    return JobService(db)


@pytest.fixture
def queue_service(db) -> QueueService:
    return QueueService(db)


@pytest.fixture
def agent_service(db) -> AgentService:
    return AgentService(db)


@pytest.fixture
def run_service(db) -> RunService:
    return RunService(db)


@pytest.fixture
def scheduler(db) -> SchedulerService:
    return SchedulerService(db)


@pytest.fixture
def team_service(db) -> TeamService:
    return TeamService(db)


@pytest.fixture
def team(team_service) -> Team:
    return team_service.create_team("platform")


@pytest.fixture
def owner(team_service, team) -> User:
    return team_service.add_user(team.id, "ada@example.com", is_admin=True)


@pytest.fixture
def other_user(team_service, team) -> User:
    return team_service.add_user(team.id, "bob@example.com")


@pytest.fixture
def default_queue(queue_service, team) -> Queue:
    return queue_service.create_queue("default", team_name="platform")


@pytest.fixture
def batch_queue(queue_service) -> Queue:
    return queue_service.create_queue("batch", max_concurrency=1)


@pytest.fixture
def agent(agent_service) -> Agent:
    return agent_service.register("agent-a", capacity=3, labels="linux, gpu")


@pytest.fixture
def seeded_jobs(job_service, default_queue, batch_queue, owner, other_user) -> dict[str, Job]:
    """Five jobs on two queues with different priorities, owners and tags."""
    jobs = {
        "build": job_service.create_job("default", "build", {"op": "sum", "args": [1, 2]}, 5, owner.email, ["ci"]),
        "test": job_service.create_job("default", "test", {"op": "echo", "args": ["x"]}, 3, owner.email, ["ci", "py"]),
        "deploy": job_service.create_job("default", "deploy", {"op": "noop"}, 1, other_user.email),
        "report": job_service.create_job("batch", "report", {"op": "sum", "args": [4]}, 0, None, ["nightly"]),
        "cleanup": job_service.create_job("batch", "cleanup", {"op": "fail"}, 2),
    }
    return jobs


@pytest.fixture
def past():
    """A timestamp comfortably in the past."""
    return utcnow() - timedelta(days=30)


@pytest.fixture
def legacy_store(tmp_path):
    legacy_store_module.configure(f"sqlite:///{tmp_path / 'legacy.db'}")
    legacy_store_module.ensure_schema()
    yield legacy_store_module
    legacy_store_module.reset()


@pytest.fixture
def api_db(db) -> Iterator[DatabaseService]:
    """Installs the test database as the one the API dependencies hand out."""
    from jobboard.api import deps

    deps.set_db_service(db)
    yield db
    deps.set_db_service(None)


@pytest.fixture
def edit_job(db):
    """Returns a helper that sets columns of one job directly (test set-up only)."""

    def edit(job_id: int, **fields) -> None:
        with db.get_session() as session:
            job = session.get(Job, job_id)
            for key, value in fields.items():
                setattr(job, key, value)

    return edit
