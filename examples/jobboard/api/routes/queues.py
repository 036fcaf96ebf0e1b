"""Queue endpoints."""

from fastapi import APIRouter, Depends, HTTPException

from jobboard.api.deps import get_db_service
from jobboard.api.schemas import QueueCreate
from jobboard.db import DatabaseService
from jobboard.models import Queue
from jobboard.serializers import queue_to_dict
from jobboard.services.queues import QueueService
from jobboard.services.task_queue import TaskQueueService

router = APIRouter(prefix="/queues")


@router.post("", status_code=201)
def create_queue(body: QueueCreate, db: DatabaseService = Depends(get_db_service)):
    queue = QueueService(db).create_queue(body.name, body.team, body.max_concurrency)
    return queue_to_dict(queue)


@router.get("")
def list_queues(include_paused: bool = True, db: DatabaseService = Depends(get_db_service)):
    return QueueService(db).list_queues(include_paused=include_paused)


@router.get("/busiest")
def busiest(n: int = 3, db: DatabaseService = Depends(get_db_service)):
    return [{"queue": name, "active": count} for name, count in QueueService(db).busiest(n)]


@router.get("/{name}")
async def get_queue(name: str, db: DatabaseService = Depends(get_db_service)):
    with db.get_session() as session:
        queue = session.query(Queue).filter(Queue.name == name).first()
        if queue is None:
            raise HTTPException(status_code=404, detail="queue not found")
        data = queue_to_dict(queue)
    data["depth"] = TaskQueueService(db).depth(data["id"])
    return data


@router.post("/{queue_id}/pause")
async def pause_queue(queue_id: int, db: DatabaseService = Depends(get_db_service)):
    if not QueueService(db).pause(queue_id):
        raise HTTPException(status_code=404, detail="queue not found")
    return {"paused": True}


@router.post("/{queue_id}/resume")
async def resume_queue(queue_id: int, db: DatabaseService = Depends(get_db_service)):
    if not QueueService(db).resume(queue_id):
        raise HTTPException(status_code=404, detail="queue not found")
    return {"paused": False}


@router.get("/{queue_id}/stats")
def queue_stats(queue_id: int, db: DatabaseService = Depends(get_db_service)):
    return TaskQueueService(db).counts_by_state(queue_id)
