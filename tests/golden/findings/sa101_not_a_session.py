"""No finding: .query() on objects that are not SQLAlchemy sessions."""
from elasticsearch import Elasticsearch

from app.search import Session  # a project class that happens to be called Session


class Search:
    def __init__(self, es: Elasticsearch) -> None:
        self.es = es

    def find(self, text: str):
        return self.es.query(text).filter(lang="en").all()


def lookup(session: Session, key: str):
    return session.query(key).first()


def raw(conn, sql: str):
    cursor = conn.cursor()
    cursor.execute("SELECT 1")
    return cursor.query(sql).all()
