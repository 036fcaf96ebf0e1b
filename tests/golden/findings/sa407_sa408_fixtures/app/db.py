from contextlib import contextmanager

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker


class DatabaseService:
    def __init__(self, url: str) -> None:
        self.engine = create_engine(url)  # noqa: SA401
        self.SessionLocal = sessionmaker(bind=self.engine, expire_on_commit=False)  # noqa: SA402

    @contextmanager
    def get_session(self):
        session = self.SessionLocal()
        try:
            yield session
            session.commit()
        finally:
            session.close()
