"""Declarative root of the job-board schema."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from jobboard.clock import utcnow


class Base(DeclarativeBase):
    """Root for queues, jobs, runs, agents and teams."""


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
