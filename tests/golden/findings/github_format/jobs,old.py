from sqlalchemy.orm import Session


def pending(session: Session, Job):
    return session.query(Job).filter(Job.state == "pending").all()


async def count(session: Session, Job):
    return session.query(Job).count()
