from app.models import Job


class JobService:
    def __init__(self, db):
        self.db = db

    def count_ready(self) -> int:
        with self.db.get_session() as session:
            return session.query(Job).filter(Job.state == "ready").count()

    async def submit(self, name: str) -> int:
        with self.db.get_session() as session:
            job = Job(name=name)
            session.add(job)
            session.commit()
            return job.id

    async def backlog(self) -> int:
        return self.count_ready()
