"""Database access: one engine and one session factory per ``DatabaseService``."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from jobboard.models.audit import Base as AuditBase
from jobboard.models.base import Base

logger = logging.getLogger(__name__)


class DatabaseService:
    """Owns the engine; hands out sessions that commit on success and roll back on error."""

    def __init__(self, url: str, echo: bool = False) -> None:
        self.url = url
        self.engine = create_engine(url, pool_pre_ping=True, echo=echo)
        self.SessionLocal = sessionmaker(bind=self.engine, autoflush=False)

    @contextmanager
    def get_session(self) -> Iterator[Session]:
        session = self.SessionLocal()
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise
        finally:
            session.close()

    def create_tables(self) -> None:
        Base.metadata.create_all(self.engine)
        AuditBase.metadata.create_all(self.engine)

    def drop_tables(self) -> None:
        AuditBase.metadata.drop_all(self.engine)
        Base.metadata.drop_all(self.engine)

    def ping(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:  # pragma: no cover - depends on the server
            logger.exception("database ping failed")
            return False

    def dispose(self) -> None:
        self.engine.dispose()
