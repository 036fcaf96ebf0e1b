"""Models and seed data shared by the rewrite golden cases (tests/golden/rewrite/*.py).

semantic.py imports each case before and after `sqlasync fix` and runs every public function
of it against a database seeded by `seed()`, so both forms can be compared.
"""

from __future__ import annotations

from typing import Optional

from sqlalchemy import Column, ForeignKey, Integer, String, Table, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship


class Base(DeclarativeBase):
    pass


job_tags = Table(
    "job_tags",
    Base.metadata,
    Column("job_id", ForeignKey("jobs.id"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id"), primary_key=True),
)


class Team(Base):
    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    users: Mapped[list["User"]] = relationship(back_populates="team")
    queues = relationship("Queue", lazy="dynamic", viewonly=True)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(100), unique=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"))
    team: Mapped[Optional[Team]] = relationship(back_populates="users")


class Queue(Base):
    __tablename__ = "queues"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    paused: Mapped[bool] = mapped_column(default=False)
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"))
    jobs: Mapped[list["Job"]] = relationship(back_populates="queue", order_by="Job.id")


class Tag(Base):
    __tablename__ = "tags"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)


class Job(Base):
    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    queue_id: Mapped[int] = mapped_column(ForeignKey("queues.id"))
    owner_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(20), default="ready")
    priority: Mapped[int] = mapped_column(Integer, default=0)
    score: Mapped[float] = mapped_column(default=0.0)
    attempts: Mapped[int] = mapped_column(default=0)
    queue: Mapped[Queue] = relationship(back_populates="jobs")
    owner: Mapped[Optional[User]] = relationship()
    tags: Mapped[list[Tag]] = relationship(secondary=job_tags, order_by="Tag.id")


STATES = ["ready", "running", "failed", "succeeded", "cancelled", "pending"]


def seed(session: Session) -> None:
    """Three teams, four users, three queues, 24 jobs, four tags (some jobs with two tags)."""
    teams = [Team(name=n) for n in ("core", "data", "web")]
    session.add_all(teams)
    users = [
        User(email="ann@x.io", is_admin=True, team=teams[0]),
        User(email="bob@x.io", team=teams[0]),
        User(email="cid@x.io", team=teams[1]),
        User(email="dee@x.io"),
    ]
    session.add_all(users)
    session.flush()
    queues = [Queue(name="default", team_id=1), Queue(name="batch", team_id=2),
              Queue(name="idle", paused=True)]
    session.add_all(queues)
    tags = [Tag(name=n) for n in ("urgent", "nightly", "gpu", "cheap")]
    session.add_all(tags)
    for i in range(24):
        job = Job(
            name=f"job-{i:02d}",
            queue=queues[i % 2],
            owner=users[i % 4] if i % 5 else None,
            state=STATES[i % len(STATES)],
            priority=(i * 7) % 5,
            score=round((i * 13) % 17 / 3.0, 3),
            attempts=i % 3,
        )
        job.tags = [tags[i % 4]] + ([tags[(i + 1) % 4]] if i % 3 == 0 else [])
        session.add(job)
    session.commit()


def make_engine(url: str = "sqlite://"):
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    return engine
