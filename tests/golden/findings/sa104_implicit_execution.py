from sqlalchemy import create_engine, select, text

from app.models import jobs_table

engine = create_engine("sqlite://")


def wipe() -> None:
    engine.execute("DELETE FROM job")


def count() -> int:
    with engine.connect() as conn:
        return conn.execute("SELECT count(*) FROM job").scalar()


def implicit() -> list:
    stmt = select(jobs_table.c.id)
    return stmt.execute().fetchall()


def fine() -> int:
    with engine.begin() as conn:
        return conn.execute(text("SELECT count(*) FROM job")).scalar()
