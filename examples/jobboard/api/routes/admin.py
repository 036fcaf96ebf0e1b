"""Administration endpoints: retention, legacy import, audit, notifications."""

from datetime import timedelta

from fastapi import APIRouter, BackgroundTasks, Depends

from jobboard.api.deps import get_db_service
from jobboard.clock import utcnow
from jobboard.db import DatabaseService
from jobboard.legacy.importer import LegacyImporter
from jobboard.services.audit import AuditService
from jobboard.services.notifications import NotificationService
from jobboard.services.retention import RetentionService

router = APIRouter(prefix="/admin")


@router.post("/purge")
async def purge(days: int, background: BackgroundTasks, db: DatabaseService = Depends(get_db_service)):
    cutoff = utcnow() - timedelta(days=days)
    retention = RetentionService(db)
    background.add_task(retention.purge_all, cutoff)
    return {"scheduled": True, "cutoff": cutoff.isoformat()}


@router.get("/backlog")
def backlog(db: DatabaseService = Depends(get_db_service)):
    return RetentionService(db).backlog()


@router.post("/legacy/import")
def import_legacy(batch: int = 100, db: DatabaseService = Depends(get_db_service)):
    return {"imported": LegacyImporter(db).run(batch)}


@router.get("/audit")
async def audit(n: int = 20, db: DatabaseService = Depends(get_db_service)):
    service = AuditService(db)
    return {"latest": service.latest(n), "by_action": service.count_by_action()}


@router.get("/users/{user_id}/notifications")
async def notifications(user_id: int, page: int = 1, db: DatabaseService = Depends(get_db_service)):
    service = NotificationService(db)
    return {"unread": service.unread_count(user_id), "items": service.inbox(user_id, page)}


@router.post("/users/{user_id}/notifications/read")
def mark_read(user_id: int, db: DatabaseService = Depends(get_db_service)):
    return {"marked": NotificationService(db).mark_all_read(user_id)}
