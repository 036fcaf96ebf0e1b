from shop.db import DatabaseService
from shop.services.orders import OrderService
from shop.services.stock import StockService


class BillingService:
    """Does no database work itself: reaches it through OrderService and StockService."""

    def __init__(self, db: DatabaseService) -> None:
        self.orders = OrderService(db)
        self.stock = StockService(db)

    def invoice(self, order_id: int) -> int:
        self.orders.place(order_id)
        return self.stock.open_orders()
