"""FastAPI dependencies."""

from __future__ import annotations

from typing import AsyncIterator, Optional

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from jobboard.config import load_settings
from jobboard.db import DatabaseService

_db_service: Optional[DatabaseService] = None
_async_engine: Optional[AsyncEngine] = None
_async_sessions: Optional[async_sessionmaker[AsyncSession]] = None


def set_db_service(db: Optional[DatabaseService]) -> None:
    global _db_service
    _db_service = db


def get_db_service() -> DatabaseService:
    global _db_service
    if _db_service is None:
        _db_service = DatabaseService(load_settings().database_url)
    return _db_service


def configure_async(url: Optional[str] = None) -> AsyncEngine:
    """The first piece of the async migration: an async engine next to the sync one."""
    global _async_engine, _async_sessions
    _async_engine = create_async_engine(url or load_settings().async_database_url)
    _async_sessions = async_sessionmaker(_async_engine, expire_on_commit=False)
    return _async_engine


async def dispose_async() -> None:
    global _async_engine, _async_sessions
    if _async_engine is not None:
        await _async_engine.dispose()
    _async_engine = None
    _async_sessions = None


async def get_async_session() -> AsyncIterator[AsyncSession]:
    if _async_sessions is None:
        configure_async()
    assert _async_sessions is not None
    async with _async_sessions() as session:
        yield session
