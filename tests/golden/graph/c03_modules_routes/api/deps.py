from typing import Optional

from api.db import DatabaseService

_db: Optional[DatabaseService] = None


def get_db() -> DatabaseService:
    global _db
    if _db is None:
        _db = DatabaseService("sqlite://")
    return _db
