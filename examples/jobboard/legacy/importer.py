"""Imports legacy jobs into the current schema."""

from __future__ import annotations

import json
import logging

from jobboard.db import DatabaseService
from jobboard.legacy import store
from jobboard.models import Job, Queue
from jobboard.services.task_queue import TaskQueueService

logger = logging.getLogger(__name__)

STATUS_MAP = {"new": "ready", "done": "succeeded", "dead": "failed"}


class LegacyImporter:
    def __init__(self, db: DatabaseService, queue_name: str = "legacy") -> None:
        self.db = db
        self.queue = TaskQueueService(db)
        self.queue_name = queue_name

    def _queue_id(self) -> int:
        with self.db.get_session() as session:
            queue = session.query(Queue).filter(Queue.name == self.queue_name).first()
            if queue is None:
                queue = Queue(name=self.queue_name, paused=True)
                session.add(queue)
                session.flush()
            return queue.id

    def run(self, batch: int = 100) -> int:
        rows = store.pending_rows(batch)
        if not rows:
            return 0
        queue_id = self._queue_id()
        imported = []
        with self.db.get_session() as session:
            for row in rows:
                try:
                    payload = json.loads(row["body"] or "{}")
                except ValueError:
                    logger.warning("legacy job %s has a broken body", row["id"])
                    payload = {"raw": row["body"]}
                job_id = self.queue.enqueue(
                    queue_id, row["title"], payload, row["prio"], source="legacy", session=session
                )
                state = STATUS_MAP.get(row["status"], "ready")
                if state != "ready":
                    session.query(Job).filter(Job.id == job_id).update({"state": state})
                imported.append(row["id"])
            session.commit()
        store.mark_migrated(imported)
        return len(imported)

    def imported_count(self) -> int:
        with self.db.get_session() as session:
            return session.query(Job).filter(Job.source == "legacy").count()
