from app.db import DatabaseService
from app.models import Order


class QueueService:
    def __init__(self, db: DatabaseService):
        self.db = db


class OrderService:
    def __init__(self, db: DatabaseService, queue: QueueService):
        self.db = db
        self.queue = queue

    def get(self, order_id: int):
        with self.db.get_session() as session:
            return session.get(Order, order_id)

    def total(self) -> int:
        with self.queue.db.get_session() as session:
            return session.query(Order).count()


def order_count(db: DatabaseService) -> int:
    with db.get_session() as sess:
        return sess.query(Order).count()
