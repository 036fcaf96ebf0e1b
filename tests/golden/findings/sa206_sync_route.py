from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.deps import get_db
from app.models import Job

router = APIRouter()


@router.get("/jobs")
def list_jobs(db: Session = Depends(get_db)):
    return db.query(Job).all()


@router.get("/health")
def health():
    return {"ok": True}


@router.post("/jobs/{job_id}/cancel")
def cancel(job_id: int, service=Depends(get_db)):
    return service.cancel(job_id)
