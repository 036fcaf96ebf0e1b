from sqlalchemy.orm import Session

from app.models import Job


def requeue(session: Session, job_id: int) -> int:
    return (
        session.query(Job)
        .filter(Job.id == job_id)
        .update({"state": "ready"}, synchronize_session=False)
    )


def purge(session: Session) -> int:
    return session.query(Job).filter(Job.state == "done").delete()
