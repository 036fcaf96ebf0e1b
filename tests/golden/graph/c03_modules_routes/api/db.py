from contextlib import contextmanager

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker


class DatabaseService:
    def __init__(self, url: str) -> None:
        self.engine = create_engine(url, pool_pre_ping=True)
        self.factory = sessionmaker(bind=self.engine)

    @contextmanager
    def get_session(self):
        with self.factory() as session:
            yield session
