from app.models import Job


def rescore(db, job_id: int, score: int) -> None:
    with db.get_session() as session:
        session.query(Job).filter(Job.id == job_id).update({"score": score})


def purge(db) -> int:
    with db.get_session() as session:
        return session.query(Job).filter(Job.state == "cancelled").delete()


def get_job(db, job_id: int):
    with db.get_session() as session:
        return session.query(Job).get(job_id)


def names(db):
    with db.get_session() as session:
        return [job.name for job in session.query(Job)]
