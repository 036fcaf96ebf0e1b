from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from app.db import Database

if TYPE_CHECKING:
    from app.scheduler import Scheduler


class Dispatcher:
    def __init__(self, db: Database, scheduler: Optional["Scheduler"] = None) -> None:
        self.db = db
        if scheduler is None:
            from app.scheduler import Scheduler

            scheduler = Scheduler(db)
        self.scheduler = scheduler

    def run(self) -> None:
        with self.db.get_session() as session:
            session.commit()
