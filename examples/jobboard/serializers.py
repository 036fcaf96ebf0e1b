"""Plain-dict views of mapped objects, used by the API and by services that return data."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Optional

from jobboard.models import Agent, Job, JobRun, Queue, Schedule, Team, User


def _iso(value: Optional[datetime]) -> Optional[str]:
    return value.isoformat() if value is not None else None


def job_to_dict(job: Job, with_runs: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": job.id,
        "queue_id": job.queue_id,
        "owner_id": job.owner_id,
        "name": job.name,
        "state": job.state,
        "priority": job.priority,
        "score": job.score,
        "attempts": job.attempts,
        "max_attempts": job.max_attempts,
        "payload": json.loads(job.payload or "{}"),
        "source": job.source,
        "created_at": _iso(job.created_at),
        "finished_at": _iso(job.finished_at),
    }
    if with_runs:
        data["runs"] = [run_to_dict(run) for run in job.runs]
    return data


def run_to_dict(run: JobRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "job_id": run.job_id,
        "agent_id": run.agent_id,
        "attempt": run.attempt,
        "state": run.state,
        "exit_code": run.exit_code,
        "started_at": _iso(run.started_at),
        "finished_at": _iso(run.finished_at),
    }


def queue_to_dict(queue: Queue) -> dict[str, Any]:
    return {
        "id": queue.id,
        "name": queue.name,
        "team_id": queue.team_id,
        "paused": queue.paused,
        "max_concurrency": queue.max_concurrency,
    }


def agent_to_dict(agent: Agent) -> dict[str, Any]:
    return {
        "id": agent.id,
        "name": agent.name,
        "status": agent.status,
        "capacity": agent.capacity,
        "labels": sorted(agent.label_set()),
        "last_seen": _iso(agent.last_seen),
    }


def schedule_to_dict(schedule: Schedule) -> dict[str, Any]:
    return {
        "id": schedule.id,
        "queue_id": schedule.queue_id,
        "name": schedule.name,
        "interval_seconds": schedule.interval_seconds,
        "priority": schedule.priority,
        "enabled": schedule.enabled,
        "next_run_at": _iso(schedule.next_run_at),
        "last_run_at": _iso(schedule.last_run_at),
    }


def team_to_dict(team: Team) -> dict[str, Any]:
    return {"id": team.id, "name": team.name}


def user_to_dict(user: User) -> dict[str, Any]:
    return {"id": user.id, "email": user.email, "team_id": user.team_id, "is_admin": user.is_admin}
