"""Turns schedules into jobs and hands ready jobs to agents."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import select

from jobboard.clock import utcnow
from jobboard.db import DatabaseService
from jobboard.models import Agent, Job, Queue, Schedule
from jobboard.services.task_queue import TaskQueueService

if TYPE_CHECKING:
    from jobboard.services.scheduler import SchedulerService


class DispatchService:
    def __init__(self, db: DatabaseService, scheduler: Optional["SchedulerService"] = None) -> None:
        self.db = db
        self.queue = TaskQueueService(db)
        if scheduler is None:
            from jobboard.services.scheduler import SchedulerService

            scheduler = SchedulerService(db)
        self.scheduler = scheduler

    def dispatch_schedule(self, schedule_id: int, now: Optional[datetime] = None) -> Optional[int]:
        now = now or utcnow()
        with self.db.get_session() as session:
            schedule = session.get(Schedule, schedule_id)
            if schedule is None or not schedule.enabled:
                return None
            paused = session.query(Queue.paused).filter(Queue.id == schedule.queue_id).scalar()
            job_id = None
            if not paused:
                job_id = self.queue.enqueue(
                    schedule.queue_id,
                    f"{schedule.name}@{now:%Y%m%d%H%M%S}",
                    json.loads(schedule.payload),
                    schedule.priority,
                    source="schedule",
                    session=session,
                )
            session.commit()
        self.scheduler.reschedule(schedule_id, now)
        return job_id

    def promote_ready(self) -> int:
        with self.db.get_session() as session:
            queue_ids = [row.id for row in session.query(Queue.id).filter(Queue.paused.is_(False)).all()]
        return sum(self.queue.mark_ready(queue_id) for queue_id in queue_ids)

    def assign(self, agent_id: int) -> Optional[int]:
        """Pick the best ready job across unpaused queues and claim it for the agent."""
        with self.db.get_session() as session:
            agent = session.get(Agent, agent_id)
            if agent is None or agent.status != "online":
                return None
            stmt = (
                select(Job.id)
                .join(Queue, Queue.id == Job.queue_id)
                .where(Job.state == "ready", Queue.paused.is_(False))
                .order_by(Job.priority.desc(), Job.id)
            )
            candidates = session.execute(stmt).scalars().all()
        for job_id in candidates:
            if self.queue.claim(job_id):
                return job_id
        return None

    def reschedule_all(self, now: Optional[datetime] = None) -> int:
        """Catch up every enabled schedule (after downtime): goes back through the scheduler."""
        now = now or utcnow()
        count = 0
        for schedule in self.scheduler.due_schedules(now):
            self.scheduler.reschedule(schedule.id, now)
            count += 1
        return count
