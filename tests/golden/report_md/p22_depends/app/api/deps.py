from typing import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from app.db import DatabaseService

_engine = create_async_engine("sqlite+aiosqlite:///app.db")
_sessions = async_sessionmaker(_engine, expire_on_commit=False)
_db = DatabaseService("sqlite:///app.db")


def get_db_service() -> DatabaseService:
    return _db


async def get_async_session() -> AsyncIterator[AsyncSession]:
    async with _sessions() as session:
        yield session
