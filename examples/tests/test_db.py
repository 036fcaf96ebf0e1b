import pytest
from sqlalchemy import inspect, text

from jobboard.db import DatabaseService
from jobboard.models import Queue, Team


def test_tables_of_both_declarative_roots_exist(db):
    names = set(inspect(db.engine).get_table_names())
    assert {"jobs", "queues", "job_runs", "agents", "teams", "users", "tags", "job_tags"} <= names
    assert {"audit_events", "notifications"} <= names


def test_get_session_commits_on_success(db):
    with db.get_session() as session:
        session.add(Team(name="ops"))
    with db.get_session() as session:
        assert session.query(Team).filter_by(name="ops").count() == 1


def test_get_session_rolls_back_on_error(db):
    with pytest.raises(RuntimeError):
        with db.get_session() as session:
            session.add(Queue(name="doomed"))
            session.flush()
            raise RuntimeError("boom")
    with db.get_session() as session:
        assert session.query(Queue).count() == 0


def test_session_is_closed_after_block(db):
    with db.get_session() as session:
        session.add(Team(name="x"))
    assert not session.in_transaction()
    assert len(session.identity_map) == 0


def test_ping_and_raw_sql(db):
    assert db.ping() is True
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT 40 + 2")).scalar() == 42


def test_drop_tables(tmp_path):
    service = DatabaseService(f"sqlite:///{tmp_path / 'drop.db'}")
    service.create_tables()
    service.drop_tables()
    assert inspect(service.engine).get_table_names() == []
    service.dispose()
