from sqlalchemy import create_engine

engine = create_engine("sqlite://", pool_pre_ping=True)  # noqa: SA401, SA405
