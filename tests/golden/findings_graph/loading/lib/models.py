from typing import List

from sqlalchemy import ForeignKey
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Stamped:
    created: Mapped[int] = mapped_column(default=0)


class Queue(Stamped, Base):
    __tablename__ = "queues"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    jobs: Mapped[List["Job"]] = relationship(back_populates="queue")
    owners: Mapped[List["Owner"]] = relationship(lazy="selectin")


class Job(Stamped, Base):
    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    queue_id: Mapped[int] = mapped_column(ForeignKey("queues.id"))
    name: Mapped[str]
    queue: Mapped["Queue"] = relationship(back_populates="jobs")


class Owner(Base):
    __tablename__ = "owners"
    id: Mapped[int] = mapped_column(primary_key=True)
    queue_id: Mapped[int] = mapped_column(ForeignKey("queues.id"))
