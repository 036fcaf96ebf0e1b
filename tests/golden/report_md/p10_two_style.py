from sqlalchemy import select, text

from app.models import Job

RECENT = text(
    """
    WITH recent AS (SELECT id FROM job WHERE created_at > :since)
    SELECT count(*) FROM recent
    """
)


class JobService:
    def __init__(self, db):
        self.db = db

    def recent(self, since):
        with self.db.get_session() as session:
            return session.execute(select(Job).where(Job.created_at > since)).scalars().all()

    def in_state(self, state: str):
        stmt = select(Job.name).where(Job.state == state)
        with self.db.get_session() as session:
            return session.scalars(stmt).all()

    def recent_count(self, since) -> int:
        with self.db.get_session() as session:
            return session.execute(RECENT, {"since": since}).scalar()

    def table_size(self, table: str) -> int:
        with self.db.get_session() as session:
            return session.execute(text(f"SELECT count(*) FROM {table}")).scalar()
