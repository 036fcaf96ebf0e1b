from sqlalchemy import create_engine, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, sessionmaker

SessionLocal = sessionmaker(bind=create_engine("sqlite://"), expire_on_commit=False)


async def count_rows(session: Session) -> int:
    return session.execute(text("SELECT count(*) FROM t")).scalar()


async def count_async(session: AsyncSession) -> int:
    return (await session.execute(text("SELECT count(*) FROM t"))).scalar()


async def touch(session, key: int) -> None:
    return None


async def handler(key: int) -> None:
    with SessionLocal() as session:
        await touch(session, key)
        await touch(key=key, session=session)
