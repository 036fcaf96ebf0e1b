"""Attribute types from constructor parameters and from instances built in __init__."""
from .base import BaseService
from .db import Database


class Ledger:
    def __init__(self, db: Database) -> None:
        self.db = db

    def balance(self, account: int) -> int:
        with self.db.get_session() as s:
            return s.execute("SELECT 1").scalar()


class OrderService(BaseService):
    model_name = "orders"

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.ledger = Ledger(db)

    def total(self) -> int:
        return super().count()

    def settle(self, account: int) -> int:
        return self.ledger.balance(account)

    def label(self) -> str:
        return self.describe()


def make_service(db: Database) -> OrderService:
    return OrderService(db)


database = Database("sqlite://")
orders = OrderService(database)
