from typing import Optional

from sqlalchemy.orm import Session

from app.models import Item


class Queue:
    def __init__(self, db):
        self.db = db

    def enqueue(self, item: Item, session: Optional["Session"] = None) -> Item:
        if session is not None:
            return self._enqueue(session, item)
        with self.db.get_session() as session:
            return self._enqueue(session, item)

    def _enqueue(self, session: Session, item: Item) -> Item:
        session.add(item)
        session.flush()
        return item


def count_items(session: Session | None) -> int:
    return session.query(Item).count()
