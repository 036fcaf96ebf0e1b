"""Imports by absolute path with an alias, and relative ones."""
from app.repo import queries as q

from . import helpers as h
from .helpers import normalise as norm


class JobService:
    def fetch(self, job_id):
        return h.normalise(q.load_job(job_id))

    def names(self):
        return norm(q.job_names())
