"""CRLF line endings, tabs and comments survive byte for byte."""
from sqlalchemy.orm import Session

from rwmodels import Job


def ready(session: Session):
	# tabs for indentation
	jobs = (
		session.query(Job)  # legacy
		.filter(Job.state == 'ready')
		.order_by(Job.id)
		.all()
	)
	return jobs


def n(session: Session):
	return session.query(Job).filter(Job.priority == 2).count()
