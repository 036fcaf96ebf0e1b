"""Queues and the schedules that feed them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, List, Optional

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobboard.models.base import Base, TimestampMixin

if TYPE_CHECKING:
    from jobboard.models.job import Job
    from jobboard.models.team import Team


class Queue(TimestampMixin, Base):
    __tablename__ = "queues"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"))
    paused: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    max_concurrency: Mapped[int] = mapped_column(Integer, default=4, nullable=False)

    team: Mapped[Optional["Team"]] = relationship(back_populates="queues")
    jobs: Mapped[List["Job"]] = relationship(back_populates="queue", cascade="all, delete-orphan")
    schedules: Mapped[List["Schedule"]] = relationship(back_populates="queue", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Queue {self.id} {self.name!r}>"


class Schedule(TimestampMixin, Base):
    """Enqueues a job from a template every ``interval_seconds``."""

    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    queue_id: Mapped[int] = mapped_column(ForeignKey("queues.id"), nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    interval_seconds: Mapped[int] = mapped_column(Integer, nullable=False)
    payload: Mapped[str] = mapped_column(Text, default="{}", nullable=False)
    priority: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    next_run_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    last_run_at: Mapped[Optional[datetime]] = mapped_column(DateTime)

    queue: Mapped["Queue"] = relationship(back_populates="schedules")
