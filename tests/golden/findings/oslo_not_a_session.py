"""No finding: `.session` attributes and `.reader` decorators that are not oslo.db's."""
from app.cache import cache
from app.http import Client


def not_in_transaction(context, key):
    # undecorated: context.session is whatever the caller put there
    return context.session.query(key).filter_by(x=1).first()


@cache.reader
def cached(context, key):
    # cache is not an enginefacade transaction context
    return context.session.query(key).all()


class Requests:
    def __init__(self, http: Client):
        self.session = http

    def fetch(self, url):
        return self.session.query(url).all()


def using_other(pool, ctx, key):
    with pool.writer.using(ctx) as conn:
        return conn.query(key).all()
