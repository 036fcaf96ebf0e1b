from shop.db import DatabaseService
from shop.models import Order
from shop.services.stock import StockService


class OrderService:
    def __init__(self, db: DatabaseService) -> None:
        self.db = db
        self.stock = StockService(db)

    def place(self, order_id: int) -> None:
        with self.db.get_session() as session:
            session.add(Order(id=order_id, state="open"))
