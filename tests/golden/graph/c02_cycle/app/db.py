from contextlib import contextmanager

from sqlalchemy.orm import sessionmaker

SessionLocal = sessionmaker()


class Database:
    @contextmanager
    def get_session(self):
        with SessionLocal() as session:
            yield session
