"""No SA201: the async code only offloads, or uses an AsyncSession."""
import asyncio

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from app.models import Job


def count_sync(session: Session) -> int:
    return session.query(Job).count()


async def count(session: Session) -> int:
    return await asyncio.to_thread(count_sync, session)


async def count_lambda(session: Session) -> int:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, lambda: session.query(Job).count())


async def load(session: AsyncSession, job_id: int):
    result = await session.execute(select(Job).where(Job.id == job_id))
    await session.commit()
    return result.scalar_one_or_none()
