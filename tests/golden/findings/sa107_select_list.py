from sqlalchemy import select

from app.models import Job

old = select([Job.id, Job.name])
new = select(Job.id, Job.name)
