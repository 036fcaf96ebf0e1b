from fastapi import APIRouter, Depends

from app.db import DatabaseService
from app.deps import get_db
from app.services.jobs import JobService

router = APIRouter()


@router.get("/jobs")
def list_jobs(db: DatabaseService = Depends(get_db)):
    return JobService(db).ready()
