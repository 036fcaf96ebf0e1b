"""A base service whose methods subclasses inherit."""
from .db import Database


class BaseService:
    model_name = "base"

    def __init__(self, db: Database) -> None:
        self.db = db

    def count(self) -> int:
        with self.db.get_session() as session:
            return session.execute(f"SELECT count(*) FROM {self.model_name}").scalar()

    def describe(self) -> str:
        return self.model_name
