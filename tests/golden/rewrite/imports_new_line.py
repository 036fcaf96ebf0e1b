"""Imports: without a `from sqlalchemy import` line, one is added after the last import."""
from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from rwmodels import Job

logger = logging.getLogger(__name__)


def ready(session: Session):
    return session.query(Job).filter(Job.state == "ready").order_by(Job.id).all()


def total(session: Session):
    return session.query(Job).filter(Job.priority > 1).count()
