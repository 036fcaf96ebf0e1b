"""A project class named Session (an HTTP session), not SQLAlchemy's."""


class Session:
    def get(self, url):
        return url

    def query(self, q):
        return q

    def commit(self):
        pass


def make_session() -> Session:
    return Session()


async def fetch(url):
    session = Session()
    with Session() as s:
        s.get(url)
    session.commit()
    return session.query(url)


async def handler(session: Session):
    return session.query("x").all()
