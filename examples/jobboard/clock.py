"""Time helpers: every timestamp in the database is naive UTC."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


def utcnow() -> datetime:
    """Current time as a naive UTC datetime (the storage convention of the schema)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def ago(seconds: float) -> datetime:
    return utcnow() - timedelta(seconds=seconds)


def later(seconds: float, start: datetime | None = None) -> datetime:
    return (start or utcnow()) + timedelta(seconds=seconds)
