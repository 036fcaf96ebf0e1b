"""A second database with its own engine, used through module functions."""
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

_engine = create_engine("sqlite://")
_Session = sessionmaker(bind=_engine)


@contextmanager
def get_session():
    with _Session() as session:
        yield session


def pending(limit: int = 10) -> list:
    with get_session() as session:
        return list(session.execute(text("SELECT id FROM old LIMIT :n"), {"n": limit}))
