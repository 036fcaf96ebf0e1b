"""The legacy job store: its own engine and a module-level session provider."""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator, Optional

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

_engine: Optional[Engine] = None
_SessionFactory: Optional[sessionmaker] = None

LEGACY_DDL = """
CREATE TABLE IF NOT EXISTS legacy_jobs (
    id INTEGER PRIMARY KEY,
    title VARCHAR(200) NOT NULL,
    prio INTEGER NOT NULL DEFAULT 0,
    status VARCHAR(20) NOT NULL DEFAULT 'new',
    body TEXT NOT NULL DEFAULT '{}',
    migrated INTEGER NOT NULL DEFAULT 0
)
"""


def configure(url: Optional[str] = None) -> Engine:
    global _engine, _SessionFactory
    url = url or os.environ.get("JOBBOARD_LEGACY_URL", "sqlite:///legacy.db")
    _engine = create_engine(url)
    _SessionFactory = sessionmaker(bind=_engine)
    return _engine


def reset() -> None:
    global _engine, _SessionFactory
    if _engine is not None:
        _engine.dispose()
    _engine = None
    _SessionFactory = None


@contextmanager
def get_session() -> Iterator[Session]:
    if _SessionFactory is None:
        configure()
    assert _SessionFactory is not None
    session = _SessionFactory()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()


def ensure_schema() -> None:
    with get_session() as session:
        session.execute(text(LEGACY_DDL))


def insert_legacy_job(title: str, prio: int = 0, status: str = "new", body: str = "{}") -> int:
    with get_session() as session:
        result = session.execute(
            text("INSERT INTO legacy_jobs (title, prio, status, body) VALUES (:title, :prio, :status, :body)"),
            {"title": title, "prio": prio, "status": status, "body": body},
        )
        return result.lastrowid


def pending_rows(limit: int = 100) -> list[dict]:
    with get_session() as session:
        rows = session.execute(
            text("SELECT id, title, prio, status, body FROM legacy_jobs WHERE migrated = 0 ORDER BY id LIMIT :limit"),
            {"limit": limit},
        ).mappings()
        return [dict(row) for row in rows]


def mark_migrated(ids: list[int]) -> None:
    if not ids:
        return
    with get_session() as session:
        for legacy_id in ids:
            session.execute(text("UPDATE legacy_jobs SET migrated = 1 WHERE id = :id"), {"id": legacy_id})


def counts() -> dict[str, int]:
    with get_session() as session:
        rows = session.execute(text("SELECT migrated, COUNT(*) FROM legacy_jobs GROUP BY migrated")).all()
        return {"migrated" if m else "pending": n for m, n in rows}
