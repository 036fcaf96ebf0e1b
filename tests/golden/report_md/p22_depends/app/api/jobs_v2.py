from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.deps import get_async_session, get_db_service
from app.db import DatabaseService
from app.models import Job

router = APIRouter(prefix="/v2")


@router.get("/jobs")
async def list_jobs(session: AsyncSession = Depends(get_async_session)):
    result = await session.execute(select(Job).order_by(Job.id))
    return result.scalars().all()


@router.get("/legacy/jobs")
def legacy_jobs(db: DatabaseService = Depends(get_db_service)):
    with db.get_session() as session:
        return session.query(Job).all()
