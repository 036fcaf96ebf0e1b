"""Manual cases: no rewrite; `check` and `fix` give the reason."""
from sqlalchemy.orm import Session, aliased

from rwmodels import Job, Queue, Team, User


def from_self(session: Session):
    return session.query(Job).filter(Job.priority > 1).from_self().order_by(Job.id).all()


def aliased_join(session: Session):
    q2 = aliased(Queue)
    return session.query(Job).join(q2, Job.queue_id == q2.id).filter(q2.name == "batch").order_by(Job.id).all()


def string_join(session: Session):
    return session.query(Job).join("queue").all()


def with_entities(session: Session):
    return session.query(Job).with_entities(Job.name).order_by(Job.name).all()


def dynamic(session: Session):
    team = session.query(Team).filter(Team.name == "core").one()
    return team.queues.filter(Queue.paused.is_(False)).all()


def unknown_entity(session: Session, model=Job):
    return session.query(model).order_by(model.id).all()


def returned_query(session: Session):
    return session.query(User).filter(User.is_admin.is_(True))
