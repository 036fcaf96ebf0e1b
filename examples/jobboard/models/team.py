"""Teams and their users."""

from __future__ import annotations

from typing import TYPE_CHECKING, List, Optional

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobboard.models.base import Base, TimestampMixin

if TYPE_CHECKING:
    from jobboard.models.job import Job
    from jobboard.models.queue import Queue


class Team(TimestampMixin, Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)

    users: Mapped[List["User"]] = relationship(back_populates="team", cascade="all, delete-orphan")
    queues: Mapped[List["Queue"]] = relationship(back_populates="team")

    def __repr__(self) -> str:
        return f"<Team {self.id} {self.name!r}>"


class User(TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)

    team: Mapped[Optional["Team"]] = relationship(back_populates="users")
    jobs: Mapped[List["Job"]] = relationship(back_populates="owner")

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email!r}>"
