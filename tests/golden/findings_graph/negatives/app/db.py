from contextlib import contextmanager

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

SessionLocal = sessionmaker(bind=create_engine("sqlite://"), expire_on_commit=False)


@contextmanager
def get_session():
    with SessionLocal() as session:
        yield session


def load_all():
    with get_session() as s:
        return s.execute("SELECT * FROM t").all()


def report():
    """Sync, never reached from async code: no SA202 anywhere for it."""
    return len(load_all())
