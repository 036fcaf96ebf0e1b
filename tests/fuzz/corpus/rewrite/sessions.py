"""PATTERNS 1-3: sessions from a provider's `with`, a parameter, `self.session`."""
from contextlib import contextmanager
from typing import Optional

from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from rwmodels import Job, Queue


class Database:
    def __init__(self, url: str = "sqlite://") -> None:
        self.engine = create_engine(url)
        self.SessionLocal = sessionmaker(bind=self.engine)

    @contextmanager
    def get_session(self):
        session = self.SessionLocal()
        try:
            yield session
            session.commit()
        finally:
            session.close()


class Repo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_name(self, name: str) -> Optional[Queue]:
        return self.session.query(Queue).filter(Queue.name == name).first()

    def busiest(self):
        return self.session.query(Job.queue_id).group_by(Job.queue_id).order_by(Job.queue_id).all()


def repo_lookup(session: Session):
    return Repo(session).by_name("batch"), Repo(session).busiest()


def optional_session(session: Optional["Session"] = None):
    if session is not None:
        return session.query(Job).filter(Job.priority == 4).order_by(Job.id).all()
    return []


def provider(db: Database):
    with db.get_session() as sess:
        return sess.query(Job).filter(Job.state == "ready").count()
