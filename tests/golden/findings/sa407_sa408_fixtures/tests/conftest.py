import pytest

from app.db import DatabaseService
from app.queue import QueueService


@pytest.fixture
def db():
    service = DatabaseService("sqlite://")
    yield service


@pytest.fixture
def queue(db):
    return QueueService(db)


@pytest.fixture(scope="session")
def settings():
    return {"debug": True}
