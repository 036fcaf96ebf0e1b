"""Async handlers reaching the database three calls away, through aliases and re-exports."""
import app.services.jobs as jobs_mod

from .services import JobService
from .services.jobs import JobService as Svc


async def show(job_id: int):
    return Svc().fetch(job_id)


async def names():
    service = jobs_mod.JobService()
    return service.names()


async def both(job_id: int):
    svc = JobService()
    return svc.fetch(job_id), svc.names()
