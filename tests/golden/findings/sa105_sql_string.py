from sqlalchemy import text
from sqlalchemy.orm import Session


def stale(session: Session, days: int):
    return session.execute("SELECT id FROM job WHERE age > 3").all()


def by_owner(session: Session, owner: str):
    return session.execute(f"SELECT id FROM job WHERE owner = '{owner}'").all()


def fine(session: Session, owner: str):
    return session.execute(text("SELECT id FROM job WHERE owner = :o"), {"o": owner}).all()
