"""Version 2 of the job read endpoints, the first ones moved to AsyncSession."""

from typing import Optional

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from jobboard.api.deps import get_async_session
from jobboard.models import Job
from jobboard.serializers import job_to_dict

router = APIRouter(prefix="/v2/jobs")


@router.get("")
async def list_jobs(
    state: Optional[str] = None,
    limit: int = 50,
    session: AsyncSession = Depends(get_async_session),
):
    stmt = select(Job).order_by(Job.priority.desc(), Job.id).limit(limit)
    if state:
        stmt = stmt.where(Job.state == state)
    result = await session.execute(stmt)
    return [job_to_dict(job) for job in result.scalars().all()]


@router.get("/count")
async def count_jobs(session: AsyncSession = Depends(get_async_session)):
    result = await session.execute(select(func.count(Job.id)))
    return {"count": result.scalar_one()}


@router.get("/{job_id}")
async def get_job(job_id: int, session: AsyncSession = Depends(get_async_session)):
    job = await session.get(Job, job_id)
    if job is None:
        raise HTTPException(status_code=404, detail="job not found")
    return job_to_dict(job, with_runs=True)
