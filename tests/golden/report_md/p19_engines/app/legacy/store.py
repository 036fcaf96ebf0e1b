from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import create_async_engine

_engine = create_engine("postgresql+psycopg2://localhost/legacy")
_async_engine = create_async_engine("postgresql+asyncpg://localhost/app")
