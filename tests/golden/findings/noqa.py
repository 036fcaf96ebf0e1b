from sqlalchemy.orm import Session

from app.models import Job


def a(session: Session):
    return session.query(Job).all()  # noqa


def b(session: Session):
    return session.query(Job).first()  # noqa: SA101


def c(session: Session):
    return session.query(Job).count()  # noqa: E501, SA101


def d(session: Session):
    return session.query(Job).one()  # sqlasync: ignore[SA101]


def e(session: Session):
    return session.query(Job).get(1)  # noqa: SA101 (wrong code: SA102 stays)


def f(session: Session):
    return session.query(Job).filter(Job.name == "# noqa").all()


def g(session: Session):
    return session.query(Job).filter(Job.name == "x").all()  # type: ignore  # noqa: SA101
