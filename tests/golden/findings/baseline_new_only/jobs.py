"""check --baseline: the baseline (baseline.json, from `check --format json` before
`newest` was added) excuses the old chain even though it moved down; only the new one is
reported."""
from sqlalchemy.orm import Session

from .models import Job


def newest(session: Session):
    return session.query(Job).filter(Job.id > 10).all()


def oldest(session: Session):
    return session.query(Job).filter(Job.id == 1).all()
