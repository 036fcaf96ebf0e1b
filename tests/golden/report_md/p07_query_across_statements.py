from app.models import Job


class JobService:
    def __init__(self, db):
        self.db = db

    def list_jobs(self, owner=None, state=None):
        with self.db.get_session() as session:
            q = session.query(Job)
            if owner:
                q = q.filter(Job.owner == owner)
            if state:
                q = q.filter(Job.state == state)
            return q.all()
