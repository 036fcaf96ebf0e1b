"""Recurring schedules. Works hand in hand with DispatchService (each calls the other)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any, Optional

from jobboard.clock import utcnow
from jobboard.db import DatabaseService
from jobboard.models import Schedule
from jobboard.serializers import schedule_to_dict
from jobboard.services.dispatch import DispatchService
from jobboard.services.task_queue import TaskQueueService


class SchedulerService:
    def __init__(self, db: DatabaseService) -> None:
        self.db = db
        self.queue = TaskQueueService(db)
        self.dispatch = DispatchService(db, scheduler=self)

    def add_schedule(
        self,
        queue_id: int,
        name: str,
        interval_seconds: int,
        payload: Optional[dict[str, Any]] = None,
        priority: int = 0,
        first_run_at: Optional[datetime] = None,
    ) -> Schedule:
        with self.db.get_session() as session:
            schedule = Schedule(
                queue_id=queue_id,
                name=name,
                interval_seconds=interval_seconds,
                payload=json.dumps(payload or {}, sort_keys=True),
                priority=priority,
                next_run_at=first_run_at or utcnow(),
            )
            session.add(schedule)
            session.flush()
            session.refresh(schedule)
            session.expunge(schedule)
            return schedule

    def due_schedules(self, now: Optional[datetime] = None) -> list[Schedule]:
        now = now or utcnow()
        with self.db.get_session() as session:
            due = (
                session.query(Schedule)
                .filter(Schedule.enabled.is_(True), Schedule.next_run_at <= now)
                .order_by(Schedule.next_run_at, Schedule.id)
                .all()
            )
            for schedule in due:
                session.expunge(schedule)
            return due

    def tick(self, now: Optional[datetime] = None) -> list[int]:
        """Enqueue one job for every due schedule; returns the new job ids."""
        now = now or utcnow()
        created = []
        for schedule in self.due_schedules(now):
            job_id = self.dispatch.dispatch_schedule(schedule.id, now)
            if job_id is not None:
                created.append(job_id)
        return created

    def reschedule(self, schedule_id: int, ran_at: datetime) -> datetime:
        with self.db.get_session() as session:
            schedule = session.get(Schedule, schedule_id)
            if schedule is None:
                raise LookupError(schedule_id)
            schedule.last_run_at = ran_at
            schedule.next_run_at = ran_at + timedelta(seconds=schedule.interval_seconds)
            next_run = schedule.next_run_at
            session.commit()
            return next_run

    def disable(self, schedule_id: int) -> bool:
        with self.db.get_session() as session:
            updated = (
                session.query(Schedule)
                .filter(Schedule.id == schedule_id)
                .update({"enabled": False}, synchronize_session=False)
            )
            return updated == 1

    def list_for_queue(self, queue_id: int) -> list[dict[str, Any]]:
        with self.db.get_session() as session:
            schedules = session.query(Schedule).filter_by(queue_id=queue_id).order_by(Schedule.name).all()
            return [schedule_to_dict(s) for s in schedules]

    def count_enabled(self) -> int:
        with self.db.get_session() as session:
            return session.query(Schedule).filter(Schedule.enabled.is_(True)).count()
