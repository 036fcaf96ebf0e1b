import json

from sqlalchemy import text

from jobboard.legacy.importer import LegacyImporter
from jobboard.models import Job


def test_legacy_store_has_its_own_engine(legacy_store, db):
    legacy_store.insert_legacy_job("old", 1)
    with legacy_store.get_session() as session:
        assert session.execute(text("SELECT title FROM legacy_jobs")).scalar() == "old"
        assert session.bind.url != db.engine.url
    assert legacy_store.counts() == {"pending": 1}


def test_import_maps_statuses(legacy_store, db, job_service):
    legacy_store.insert_legacy_job("a", 3, "new", json.dumps({"op": "sum", "args": [1]}))
    legacy_store.insert_legacy_job("b", 0, "done")
    legacy_store.insert_legacy_job("c", 0, "dead", "not json")
    importer = LegacyImporter(db)
    assert importer.run() == 3
    assert importer.imported_count() == 3
    assert legacy_store.counts() == {"migrated": 3}
    jobs = {j["name"]: j for j in job_service.list_jobs()}
    assert {name: j["state"] for name, j in jobs.items()} == {"a": "ready", "b": "succeeded", "c": "failed"}
    assert jobs["a"]["payload"] == {"op": "sum", "args": [1]}
    assert jobs["c"]["payload"] == {"raw": "not json"}
    assert jobs["a"]["priority"] == 3
    assert importer.run() == 0


def test_import_creates_paused_legacy_queue_once(legacy_store, db, queue_service):
    legacy_store.insert_legacy_job("a")
    importer = LegacyImporter(db)
    importer.run(batch=1)
    legacy_store.insert_legacy_job("b")
    importer.run(batch=1)
    legacy_queue = queue_service.get_by_name("legacy")
    assert legacy_queue.paused is True
    with db.get_session() as session:
        assert session.query(Job).filter(Job.queue_id == legacy_queue.id).count() == 2


def test_import_in_batches(legacy_store, db):
    for i in range(5):
        legacy_store.insert_legacy_job(f"j{i}")
    importer = LegacyImporter(db)
    assert importer.run(batch=2) == 2
    assert legacy_store.counts() == {"migrated": 2, "pending": 3}
    assert importer.run(batch=10) == 3
