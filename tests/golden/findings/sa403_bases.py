from sqlalchemy.ext.asyncio import AsyncAttrs
from sqlalchemy.orm import DeclarativeBase, registry


class Base(DeclarativeBase):
    pass


class AsyncBase(AsyncAttrs, DeclarativeBase):
    pass


mapper_registry = registry()
Legacy = mapper_registry.generate_base()
