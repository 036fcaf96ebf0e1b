from shop.db import DatabaseService
from shop.models import Order


class Formatter:
    """No database work and nothing that does any: not a node."""

    def money(self, cents: int) -> str:
        return f"{cents / 100:.2f}"


class StockService:
    def __init__(self, db: DatabaseService) -> None:
        self.db = db
        self.fmt = Formatter()

    def open_orders(self) -> int:
        with self.db.get_session() as session:
            return session.query(Order).filter(Order.state == "open").count()
