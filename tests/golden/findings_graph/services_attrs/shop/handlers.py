"""Inherited methods, attributes, super(), return annotations and a module-level singleton."""
from shop import orders as orders_module
from shop.orders import orders

from .db import Database
from .orders import OrderService, make_service


async def inherited(db: Database) -> int:
    return OrderService(db).count()


async def via_super(db: Database) -> int:
    return OrderService(db).total()


async def via_attribute(db: Database) -> int:
    service = OrderService(db)
    return service.settle(7)


async def via_chained_attribute(db: Database) -> int:
    return OrderService(db).ledger.balance(2)


async def via_return_annotation(db: Database) -> int:
    return make_service(db).settle(1)


async def via_singleton() -> int:
    return orders.count()


async def via_module_singleton() -> int:
    return orders_module.orders.settle(3)


async def no_database(db: Database) -> str:
    return OrderService(db).label()
