"""Execution agents and their heartbeats."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, List, Optional

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobboard.clock import utcnow
from jobboard.models.base import Base, TimestampMixin

if TYPE_CHECKING:
    from jobboard.models.job import JobRun

AGENT_STATES = ("online", "draining", "offline")


class Agent(TimestampMixin, Base):
    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True, nullable=False)
    status: Mapped[str] = mapped_column(String(20), default="online", nullable=False)
    capacity: Mapped[int] = mapped_column(Integer, default=2, nullable=False)
    labels: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    last_seen: Mapped[Optional[datetime]] = mapped_column(DateTime)

    runs: Mapped[List["JobRun"]] = relationship(back_populates="agent")
    heartbeats: Mapped[List["Heartbeat"]] = relationship(back_populates="agent", cascade="all, delete-orphan")

    def label_set(self) -> set[str]:
        return {part.strip() for part in self.labels.split(",") if part.strip()}


class Heartbeat(Base):
    __tablename__ = "heartbeats"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), nullable=False, index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    load: Mapped[float] = mapped_column(Float, default=0.0, nullable=False)

    agent: Mapped["Agent"] = relationship(back_populates="heartbeats")
