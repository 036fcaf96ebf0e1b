from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker


class DatabaseService:
    def __init__(self, url: str):
        self.engine = create_engine(url, pool_pre_ping=True, pool_size=10)
        self.SessionLocal = sessionmaker(bind=self.engine, expire_on_commit=False)
