from app.services.jobs import JobService


def test_ready(db):
    assert JobService(db).ready() == []
