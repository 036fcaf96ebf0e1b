from contextlib import contextmanager

from sqlalchemy.orm import sessionmaker

from app.models import Notification


class Notifier:
    def __init__(self, url: str) -> None:
        self.SessionLocal = sessionmaker()

    @contextmanager
    def get_session(self):
        session = self.SessionLocal()
        try:
            yield session
            session.commit()
        finally:
            session.close()

    def unread(self, user_id: int) -> int:
        session = self.get_session()
        try:
            return session.query(Notification).filter_by(user_id=user_id).count()
        finally:
            session.close()

    def read(self, user_id: int) -> int:
        with self.get_session() as session:
            return session.query(Notification).filter_by(user_id=user_id, read=True).count()
