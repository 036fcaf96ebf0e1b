"""Collection joinedload gains .unique(); so does any entity query with a join, because legacy
Query de-duplicated entities and select() does not."""
from sqlalchemy.orm import Session, joinedload

from rwmodels import Job, Queue, Tag, Team


def queues_with_jobs(session: Session):
    return session.query(Queue).options(joinedload(Queue.jobs)).order_by(Queue.name).all()


def teams_with_members(session: Session):
    teams = (
        session.query(Team)
        .options(joinedload(Team.users))
        .order_by(Team.name)
        .all()
    )
    return [(t.name, sorted(u.email for u in t.users)) for t in teams]


def tagged(session: Session):
    return session.query(Job).join(Job.tags).filter(Tag.name.in_(("urgent", "nightly"))).order_by(Job.id).all()


def first_with_jobs(session: Session):
    return session.query(Queue).options(joinedload(Queue.jobs)).filter(Queue.name == "batch").first()


def scalar_job_queue(session: Session):
    return session.query(Job).options(joinedload(Job.queue)).filter(Job.id == 4).one()
