from sqlalchemy import func

from app.models import Job


class MetricsService:
    def __init__(self, db):
        self.db = db

    def total(self) -> int:
        with self.db.get_session() as session:
            return session.query(func.count(Job.id)).scalar()

    def by_state(self):
        with self.db.get_session() as session:
            return session.query(Job.state, func.count(Job.id)).group_by(Job.state).all()
