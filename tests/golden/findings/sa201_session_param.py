from sqlalchemy.orm import Session

from app.models import Job


async def refresh(session: Session, job: Job) -> None:
    session.add(job)
    session.commit()
    session.refresh(job)
