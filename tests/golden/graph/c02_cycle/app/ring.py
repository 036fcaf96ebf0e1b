"""Three classes in a ring, one of them doing database work: one cycle of three."""
from app.db import Database


class A:
    def __init__(self, db: Database, b: "B") -> None:
        self.db = db
        self.b = b

    def work(self) -> None:
        with self.db.get_session() as session:
            session.flush()


class B:
    def __init__(self, c: "C") -> None:
        self.c = c


class C:
    def __init__(self, a: A) -> None:
        self.a = a
