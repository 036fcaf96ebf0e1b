from sqlalchemy import ForeignKey
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.ext.asyncio import AsyncAttrs


class Base(AsyncAttrs, DeclarativeBase):
    pass


class Queue(Base):
    __tablename__ = "queue"
    id: Mapped[int] = mapped_column(primary_key=True)
    jobs: Mapped[list["Job"]] = relationship(back_populates="queue")
    runs = relationship("Run", lazy="dynamic")
    tags: Mapped[list["Tag"]] = relationship(lazy="selectin")
    owner: Mapped["User"] = relationship(lazy="raise")


class Job(Base):
    __tablename__ = "job"
    id: Mapped[int] = mapped_column(primary_key=True)
    queue_id: Mapped[int] = mapped_column(ForeignKey("queue.id"))
    queue: Mapped["Queue"] = relationship(back_populates="jobs", lazy="joined")
