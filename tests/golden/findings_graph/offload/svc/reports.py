from .db import DatabaseService


class ReportService:
    def __init__(self, db: DatabaseService) -> None:
        self.db = db

    def build(self, n: int) -> int:
        with self.db.get_session() as session:
            return session.execute("SELECT :n", {"n": n}).scalar()

    def notify(self, user: int) -> None:
        with self.db.get_session() as session:
            session.execute("UPDATE users SET seen = 1 WHERE id = :u", {"u": user})

    async def anotify(self, user: int) -> None:
        return None


def provide_reports():
    return ReportService(DatabaseService("sqlite://"))
