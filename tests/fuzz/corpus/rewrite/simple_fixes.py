"""Models."""
from sqlalchemy import create_engine, select
from sqlalchemy.orm import DeclarativeBase, sessionmaker, Session

engine = create_engine("sqlite://")
SessionLocal = sessionmaker(engine)
Other = sessionmaker(bind=engine, autoflush=False,)
Third = sessionmaker(
    bind=engine,
    expire_on_commit=True,
)
Empty = sessionmaker()
Kw = sessionmaker(**opts)


class Base(DeclarativeBase):
    pass


def f(session: Session):
    rows = session.execute("SELECT 1").all()
    stmt = select([Base.id, Base.name])
    bad = select([Base.id], Base.id > 1)
    q = session.execute("SELECT %s" % 1)
    return rows, stmt
