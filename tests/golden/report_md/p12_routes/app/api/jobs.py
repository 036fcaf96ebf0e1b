from fastapi import APIRouter, Depends

from app.deps import get_db_service
from app.db import DatabaseService
from app.models import Job

router = APIRouter()


@router.get("/jobs")
def list_jobs(db: DatabaseService = Depends(get_db_service)):
    with db.get_session() as session:
        return [j.id for j in session.query(Job).all()]


@router.post("/jobs/{job_id}/cancel")
async def cancel_job(job_id: int, db: DatabaseService = Depends(get_db_service)):
    with db.get_session() as session:
        job = session.get(Job, job_id)
        job.state = "cancelled"
        session.commit()


@router.get("/health")
async def health():
    return {"ok": True}
