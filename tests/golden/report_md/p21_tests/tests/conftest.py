import pytest

from app.db import DatabaseService
from app.models import Base


@pytest.fixture
def db(tmp_path):
    service = DatabaseService(f"sqlite:///{tmp_path}/test.db")
    Base.metadata.create_all(service.engine)
    yield service
    Base.metadata.drop_all(service.engine)


@pytest.fixture
def job_service(db):
    from app.services.jobs import JobService

    return JobService(db)
