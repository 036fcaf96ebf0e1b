from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker


class Database:
    """Default expire_on_commit (True); the provider commits on exit."""

    def __init__(self, url: str) -> None:
        self.SessionLocal = sessionmaker(bind=create_engine(url))

    @contextmanager
    def get_session(self) -> Iterator[Session]:
        session = self.SessionLocal()
        try:
            yield session
            session.commit()
        finally:
            session.close()


class KeepDatabase:
    """expire_on_commit=False: nothing expires at commit."""

    def __init__(self, url: str) -> None:
        self.SessionLocal = sessionmaker(bind=create_engine(url), expire_on_commit=False)

    @contextmanager
    def get_session(self) -> Iterator[Session]:
        with self.SessionLocal() as session:
            yield session
