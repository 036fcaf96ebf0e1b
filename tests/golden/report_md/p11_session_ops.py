from app.models import Job


class JobService:
    def __init__(self, db):
        self.db = db

    def create(self, name: str) -> Job:
        with self.db.get_session() as session:
            job = Job(name=name)
            session.add(job)
            session.flush()
            session.commit()
            session.refresh(job)
            session.expunge(job)
            return job

    def delete(self, job_id: int) -> None:
        with self.db.get_session() as session:
            job = session.get(Job, job_id)
            session.delete(job)
            session.commit()
