from app.db import DatabaseService
from app.models import Notification


class NotificationService:
    def __init__(self, db: DatabaseService):
        self.db = db

    def unread_count(self, user_id: int) -> int:
        session = self.db.get_session()
        try:
            return session.query(Notification).filter_by(user_id=user_id, read=False).count()
        finally:
            session.close()
