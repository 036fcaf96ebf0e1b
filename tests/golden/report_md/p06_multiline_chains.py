from sqlalchemy.orm import joinedload

from app.models import Job, Queue


class JobService:
    def __init__(self, db):
        self.db = db

    def ready(self, queue_id: int):
        with self.db.get_session() as session:
            tasks = (
                session.query(Job)
                .filter(Job.state == "ready", Job.queue_id == queue_id)
                .order_by(Job.priority.desc())
                .limit(10)
                .all()
            )
            return tasks

    def first_ready(self):
        with self.db.get_session() as session:
            return session.query(Job).filter_by(state="ready").first()

    def with_jobs(self):
        with self.db.get_session() as session:
            return session.query(Queue).options(joinedload(Queue.jobs)).offset(5).all()
