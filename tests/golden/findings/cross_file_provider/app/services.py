from fastapi import APIRouter, Depends

from .db import DatabaseService, SessionLocal, get_db
from .models import Job

router = APIRouter()


class JobService:
    def __init__(self, db: DatabaseService) -> None:
        self.db = db

    def leak(self) -> int:
        session = self.db.get_session()
        try:
            return session.execute(Job.__table__.select()).rowcount
        finally:
            session.close()

    async def count(self) -> int:
        with self.db.get_session() as s:
            return len(s.execute(Job.__table__.select()).all())


def direct() -> None:
    with SessionLocal() as session:
        session.commit()


@router.get("/jobs")
def jobs(db=Depends(get_db)):
    return db.execute(Job.__table__.select()).all()
