from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Run


class RunRepository:
    def __init__(self, session: Session):
        self.session = session

    def latest(self, job_id: int):
        stmt = select(Run).where(Run.job_id == job_id).order_by(Run.id.desc())
        return self.session.scalars(stmt).first()

    def add(self, run: Run) -> None:
        self.session.add(run)
