from datetime import timedelta

import pytest

from jobboard.clock import utcnow
from jobboard.models import AuditEvent
from jobboard.services.audit import AuditService
from jobboard.services.notifications import NotificationService


@pytest.fixture
def audit(db):
    return AuditService(db)


@pytest.fixture
def notifications(db):
    return NotificationService(db)


def test_record_and_query(audit):
    audit.record("ada", "queue.pause", "queue", 1, "maintenance")
    audit.record("bob", "queue.resume", "queue", 1)
    audit.record("ada", "queue.pause", "queue", 2)
    assert audit.events_for("queue", 1) == [
        {"actor": "ada", "action": "queue.pause", "detail": "maintenance"},
        {"actor": "bob", "action": "queue.resume", "detail": ""},
    ]
    assert audit.count_by_action() == {"queue.pause": 2, "queue.resume": 1}
    assert audit.latest(2) == ["ada:queue.pause:queue#2", "bob:queue.resume:queue#1"]
    assert audit.actors() == ["ada", "bob"]


def test_record_inside_callers_session_is_rolled_back_with_it(db, audit):
    with pytest.raises(ValueError):
        with db.get_session() as session:
            audit.record("ada", "x", "job", 1, session=session)
            raise ValueError
    assert audit.latest() == []


def test_purge_before(db, audit):
    audit.record("ada", "old", "job", 1)
    audit.record("ada", "new", "job", 2)
    with db.get_session() as session:
        session.query(AuditEvent).filter(AuditEvent.action == "old").update(
            {"at": utcnow() - timedelta(days=10)}, synchronize_session=False
        )
    assert audit.purge_before(utcnow() - timedelta(days=1)) == 1
    assert audit.count_by_action() == {"new": 1}


def test_notify_and_unread_count(notifications, owner, other_user):
    notifications.notify(owner.id, "hello")
    notifications.notify(owner.id, "again")
    notifications.notify(other_user.id, "hi bob")
    assert notifications.unread_count(owner.id) == 2
    assert notifications.unread_count(other_user.id) == 1
    assert notifications.mark_all_read(owner.id) == 2
    assert notifications.unread_count(owner.id) == 0
    assert notifications.mark_all_read(owner.id) == 0


def test_inbox_pages_newest_first(notifications, owner):
    for i in range(5):
        notifications.notify(owner.id, f"m{i}")
    assert notifications.inbox(owner.id, page=1, per_page=2) == ["m4", "m3"]
    assert notifications.inbox(owner.id, page=3, per_page=2) == ["m0"]
    assert notifications.inbox(owner.id, page=4, per_page=2) == []


def test_notify_job_failure(db, notifications, seeded_jobs, owner, audit):
    build = seeded_jobs["build"].id
    note_id = notifications.notify_job_failure(build)
    assert note_id is not None
    assert notifications.inbox(owner.id) == ["job build is ready"]
    assert audit.events_for("job", build)[-1]["action"] == "notify"
    assert notifications.notify_job_failure(seeded_jobs["report"].id) is None
    assert notifications.notify_job_failure(999) is None
