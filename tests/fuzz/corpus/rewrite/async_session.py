"""An AsyncSession has no query(): nothing here is rewritten."""
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from rwmodels import Job


async def ready(session: AsyncSession):
    result = await session.execute(select(Job).where(Job.state == "ready"))
    return result.scalars().all()
