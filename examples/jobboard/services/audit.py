"""Audit trail of user and system actions."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jobboard.db import DatabaseService
from jobboard.models import AuditEvent


class AuditService:
    def __init__(self, db: DatabaseService) -> None:
        self.db = db

    def record(
        self,
        actor: str,
        action: str,
        entity: str,
        entity_id: int,
        detail: str = "",
        session: Optional[Session] = None,
    ) -> None:
        if session is not None:
            session.add(AuditEvent(actor=actor, action=action, entity=entity, entity_id=entity_id, detail=detail))
            return
        with self.db.get_session() as session:
            session.add(AuditEvent(actor=actor, action=action, entity=entity, entity_id=entity_id, detail=detail))
            session.commit()

    def events_for(self, entity: str, entity_id: int) -> list[dict[str, Any]]:
        with self.db.get_session() as session:
            events = (
                session.query(AuditEvent)
                .filter(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
                .order_by(AuditEvent.id)
                .all()
            )
            return [{"actor": e.actor, "action": e.action, "detail": e.detail} for e in events]

    def count_by_action(self) -> dict[str, int]:
        with self.db.get_session() as session:
            rows = (
                session.query(AuditEvent.action, func.count(AuditEvent.id))
                .group_by(AuditEvent.action)
                .all()
            )
            return dict(rows)

    def latest(self, n: int = 20) -> list[str]:
        stmt = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(n)
        with self.db.get_session() as session:
            return [f"{e.actor}:{e.action}:{e.entity}#{e.entity_id}" for e in session.scalars(stmt)]

    def actors(self) -> list[str]:
        with self.db.get_session() as session:
            rows = session.query(AuditEvent.actor).distinct().order_by(AuditEvent.actor).all()
            return [row[0] for row in rows]

    def purge_before(self, cutoff: datetime) -> int:
        with self.db.get_session() as session:
            deleted = session.query(AuditEvent).filter(AuditEvent.at < cutoff).delete(synchronize_session=False)
            session.commit()
            return deleted
