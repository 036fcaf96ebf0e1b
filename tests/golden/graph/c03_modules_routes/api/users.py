from api.db import DatabaseService
from api.legacy import store


class UserService:
    def __init__(self, db: DatabaseService) -> None:
        self.db = db

    def count(self) -> int:
        with self.db.get_session() as session:
            return session.execute("SELECT count(*) FROM users").scalar()

    def imported(self) -> int:
        return len(store.pending())


def user_names(db: DatabaseService) -> list:
    with db.get_session() as session:
        return [r[0] for r in session.execute("SELECT name FROM users")]
