"""Mapping (SA103): Query.update() -> session.execute(update(X).where(...).values(...)
.execution_options(synchronize_session=...)).rowcount; PATTERNS 9."""
from sqlalchemy import select
from sqlalchemy.orm import Session

from rwmodels import Job


def reprioritise(session: Session):
    count = (
        session.query(Job)
        .filter(Job.queue_id == 1, Job.state.in_(("pending", "ready")))
        .update({"priority": Job.priority + 1}, synchronize_session=False)
    )
    session.commit()
    return count


def claim(session: Session):
    updated = (
        session.query(Job)
        .filter(Job.id == 1, Job.state == "ready")
        .update(
            {"state": "running", "attempts": Job.attempts + 1},
            synchronize_session="fetch",
        )
    )
    session.commit()
    return updated == 1


def rescore(session: Session):
    for job_id, score in {2: 1.5, 3: 2.5}.items():
        session.query(Job).filter(Job.id == job_id).update({"score": score})
    session.commit()


def positional(session: Session):
    n = session.query(Job).filter_by(state="failed").update({Job.state: "ready"}, False)
    session.commit()
    return n
