from sqlalchemy import create_engine, engine_from_config
from sqlalchemy.ext.asyncio import create_async_engine

engine = create_engine("postgresql+psycopg2://app@db/app")
tuned = create_engine("postgresql+psycopg2://app@db/app", pool_size=5, max_overflow=10, pool_pre_ping=True)
configured = engine_from_config({"sqlalchemy.url": "sqlite://"}, prefix="sqlalchemy.")
async_engine = create_async_engine("postgresql+asyncpg://app@db/app")
