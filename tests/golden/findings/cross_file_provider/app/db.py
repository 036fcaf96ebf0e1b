from contextlib import contextmanager
from typing import Iterator

from sqlalchemy.orm import Session, sessionmaker

SessionLocal = sessionmaker(expire_on_commit=False)  # noqa: SA402


class DatabaseService:
    @contextmanager
    def get_session(self) -> Iterator[Session]:
        with SessionLocal() as session:
            yield session
            session.commit()


def get_db() -> Iterator[Session]:
    with SessionLocal() as session:
        yield session
