from app.db import DatabaseService


class QueueService:
    def __init__(self, db: DatabaseService) -> None:
        self.db = db

    def depth(self) -> int:
        with self.db.get_session() as session:
            return session.execute("SELECT count(*) FROM job").scalar()  # noqa: SA105
