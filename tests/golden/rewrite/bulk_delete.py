"""Mapping (SA103): Query.delete() -> session.execute(delete(X).where(...)).rowcount, keeping
synchronize_session as an execution option."""
from sqlalchemy.orm import Session

from rwmodels import Job, Tag


def delete_cancelled(session: Session):
    n = (
        session.query(Job)
        .filter(Job.queue_id == 1, Job.state == "cancelled")
        .delete(synchronize_session=False)
    )
    session.commit()
    return n


def prune_tags(session: Session):
    session.query(Tag).filter(Tag.name == "cheap").delete()
    session.commit()


def positional(session: Session):
    n = session.query(Job).filter(Job.state == "pending").delete("fetch")
    session.commit()
    return n
