from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker


class DatabaseService:
    def __init__(self, url: str) -> None:
        self.SessionLocal = sessionmaker(bind=create_engine(url), expire_on_commit=False)

    @contextmanager
    def get_session(self) -> Iterator[Session]:
        with self.SessionLocal() as session:
            yield session
            session.commit()


_db = None


def get_db_service() -> DatabaseService:
    global _db
    if _db is None:
        _db = DatabaseService("sqlite://")
    return _db


def get_db():
    """A sync dependency doing database work: FastAPI runs it in its threadpool."""
    db = get_db_service()
    with db.get_session() as session:
        session.execute("SELECT 1")
    return db
