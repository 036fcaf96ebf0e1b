"""Mapped classes. Importing this package registers every table on its metadata."""

from jobboard.models.agent import AGENT_STATES, Agent, Heartbeat
from jobboard.models.audit import AuditEvent, Notification
from jobboard.models.base import Base
from jobboard.models.job import JOB_STATES, TERMINAL_STATES, Job, JobRun, RunLog, Tag, job_tags
from jobboard.models.queue import Queue, Schedule
from jobboard.models.team import Team, User

__all__ = [
    "AGENT_STATES",
    "Agent",
    "AuditEvent",
    "Base",
    "Heartbeat",
    "JOB_STATES",
    "Job",
    "JobRun",
    "Notification",
    "Queue",
    "RunLog",
    "Schedule",
    "TERMINAL_STATES",
    "Tag",
    "Team",
    "User",
    "job_tags",
]
