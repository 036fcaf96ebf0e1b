"""Schedule endpoints."""

from fastapi import APIRouter, Depends

from jobboard.api.deps import get_db_service
from jobboard.api.schemas import ScheduleCreate
from jobboard.db import DatabaseService
from jobboard.serializers import schedule_to_dict
from jobboard.services.scheduler import SchedulerService

router = APIRouter(prefix="/schedules")


@router.post("", status_code=201)
def create_schedule(body: ScheduleCreate, db: DatabaseService = Depends(get_db_service)):
    schedule = SchedulerService(db).add_schedule(
        body.queue_id, body.name, body.interval_seconds, body.payload, body.priority
    )
    return schedule_to_dict(schedule)


@router.get("/queue/{queue_id}")
def list_schedules(queue_id: int, db: DatabaseService = Depends(get_db_service)):
    return SchedulerService(db).list_for_queue(queue_id)


@router.post("/tick")
async def tick(db: DatabaseService = Depends(get_db_service)):
    created = SchedulerService(db).tick()
    return {"created": created}


@router.post("/{schedule_id}/disable")
async def disable_schedule(schedule_id: int, db: DatabaseService = Depends(get_db_service)):
    return {"disabled": SchedulerService(db).disable(schedule_id)}
