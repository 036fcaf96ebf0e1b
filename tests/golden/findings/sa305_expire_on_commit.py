from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import sessionmaker

engine = create_engine("sqlite://")
SessionLocal = sessionmaker(bind=engine)
Explicit = sessionmaker(bind=engine, expire_on_commit=True)
Kept = sessionmaker(bind=engine, expire_on_commit=False)

async_engine = create_async_engine("sqlite+aiosqlite://")
AsyncSessionLocal = async_sessionmaker(async_engine, expire_on_commit=False)
