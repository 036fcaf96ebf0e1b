"""Two dots up: the provider and the models."""
from ..db import get_session
from ..models import Job


def load_job(job_id):
    with get_session() as s:
        return s.get(Job, job_id)


def job_names():
    with get_session() as s:
        return [j.name for j in s.query(Job).all()]
