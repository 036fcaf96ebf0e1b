"""Job endpoints."""

from typing import Optional

from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException

from jobboard.api.deps import get_db_service
from jobboard.api.schemas import JobCreate
from jobboard.db import DatabaseService
from jobboard.models import JobRun
from jobboard.serializers import job_to_dict, run_to_dict
from jobboard.services.jobs import JobNotFound, JobService
from jobboard.services.notifications import NotificationService
from jobboard.services.task_queue import TaskQueueService

router = APIRouter()


@router.post("/jobs", status_code=201)
async def create_job(
    body: JobCreate,
    background: BackgroundTasks,
    db: DatabaseService = Depends(get_db_service),
):
    service = JobService(db)
    try:
        job = service.create_job(body.queue, body.name, body.payload, body.priority, body.owner_email, body.tags)
    except LookupError as exc:
        raise HTTPException(status_code=404, detail=str(exc))
    if job.owner_id is not None:
        background.add_task(NotificationService(db).notify, job.owner_id, f"job {job.name} queued")
    return job_to_dict(job)


@router.get("/jobs")
def list_jobs(
    queue_id: Optional[int] = None,
    state: Optional[str] = None,
    owner_id: Optional[int] = None,
    limit: int = 50,
    db: DatabaseService = Depends(get_db_service),
):
    return JobService(db).list_jobs(queue_id=queue_id, state=state, owner_id=owner_id, limit=limit)


@router.get("/jobs/search")
def search_jobs(q: str, db: DatabaseService = Depends(get_db_service)):
    return {"names": JobService(db).search(q)}


@router.get("/jobs/{job_id}")
def get_job(job_id: int, db: DatabaseService = Depends(get_db_service)):
    detail = JobService(db).get_job_detail(job_id)
    if detail is None:
        raise HTTPException(status_code=404, detail="job not found")
    return detail


@router.get("/jobs/{job_id}/runs")
async def job_runs(job_id: int, db: DatabaseService = Depends(get_db_service)):
    with db.get_session() as session:
        runs = (
            session.query(JobRun)
            .filter(JobRun.job_id == job_id)
            .order_by(JobRun.attempt)
            .all()
        )
        return [run_to_dict(run) for run in runs]


@router.post("/jobs/{job_id}/cancel")
async def cancel_job(job_id: int, db: DatabaseService = Depends(get_db_service)):
    try:
        cancelled = JobService(db).cancel(job_id, actor="api")
    except JobNotFound:
        raise HTTPException(status_code=404, detail="job not found")
    return {"cancelled": cancelled}


@router.get("/queues/{queue_id}/next")
async def next_task(queue_id: int, db: DatabaseService = Depends(get_db_service)):
    queue = TaskQueueService(db)
    job = queue.get_next_task(queue_id)
    if job is None:
        return {"job": None}
    return {"job": job_to_dict(job)}


@router.post("/queues/{queue_id}/reprioritise")
async def reprioritise(queue_id: int, delta: int, db: DatabaseService = Depends(get_db_service)):
    return {"updated": JobService(db).reprioritise(queue_id, delta)}
