"""In-app notifications for job owners."""

from __future__ import annotations

import logging
from typing import Optional

from jobboard.db import DatabaseService
from jobboard.models import Job, Notification
from jobboard.services.audit import AuditService

logger = logging.getLogger(__name__)


class NotificationService:
    def __init__(self, db: DatabaseService) -> None:
        self.db = db
        self.audit = AuditService(db)

    def notify(self, user_id: int, message: str) -> int:
        with self.db.get_session() as session:
            note = Notification(user_id=user_id, message=message)
            session.add(note)
            session.flush()
            return note.id

    def notify_job_failure(self, job_id: int) -> Optional[int]:
        with self.db.get_session() as session:
            job = session.get(Job, job_id)
            if job is None or job.owner_id is None:
                return None
            owner_id, name, state = job.owner_id, job.name, job.state
        note_id = self.notify(owner_id, f"job {name} is {state}")
        self.audit.record("system", "notify", "job", job_id)
        return note_id

    def unread_count(self, user_id: int) -> int:
        session = self.db.get_session()
        try:
            return session.query(Notification).filter_by(user_id=user_id, read=False).count()
        except AttributeError:
            logger.warning("unread_count: falling back to a fresh session")
            with self.db.get_session() as fallback:
                return (
                    fallback.query(Notification)
                    .filter(Notification.user_id == user_id, Notification.read.is_(False))
                    .count()
                )
        finally:
            if hasattr(session, "close"):
                session.close()

    def inbox(self, user_id: int, page: int = 1, per_page: int = 10) -> list[str]:
        with self.db.get_session() as session:
            notes = (
                session.query(Notification)
                .filter_by(user_id=user_id)
                .order_by(Notification.id.desc())
                .offset((page - 1) * per_page)
                .limit(per_page)
                .all()
            )
            return [note.message for note in notes]

    def mark_all_read(self, user_id: int) -> int:
        with self.db.get_session() as session:
            count = (
                session.query(Notification)
                .filter(Notification.user_id == user_id, Notification.read.is_(False))
                .update({"read": True}, synchronize_session=False)
            )
            session.commit()
            return count
