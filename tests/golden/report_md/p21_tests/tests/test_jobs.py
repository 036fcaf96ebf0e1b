import pytest

from app.models import Job


def test_create(job_service):
    job = job_service.create("a")
    assert job.id


def test_count(db):
    with db.get_session() as session:
        assert session.query(Job).count() == 0


@pytest.mark.asyncio
async def test_submit(job_service):
    assert await job_service.submit("b")


async def test_unmarked(job_service):
    assert job_service
