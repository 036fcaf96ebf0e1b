from app.db import Database
from app.dispatch import Dispatcher


class Scheduler:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.dispatch = Dispatcher(db, scheduler=self)

    def tick(self) -> None:
        with self.db.get_session() as session:
            session.execute("SELECT 1")
        self.dispatch.run()
