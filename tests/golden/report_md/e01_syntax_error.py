from app.models import Job


def broken(session:
    return session.query(Job).all()
