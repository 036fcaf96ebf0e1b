from sqlalchemy import select

from jobboard.models import Agent, Heartbeat, Job, JobRun, Queue, RunLog, Tag, Team, User
from jobboard.models.audit import Base as AuditBase
from jobboard.models.base import Base


def test_two_separate_declarative_roots():
    assert Base is not AuditBase
    assert "jobs" in Base.metadata.tables
    assert "audit_events" in AuditBase.metadata.tables
    assert "jobs" not in AuditBase.metadata.tables


def test_relationships_round_trip(db):
    with db.get_session() as session:
        team = Team(name="t")
        user = User(email="u@example.com", team=team)
        queue = Queue(name="q", team=team)
        job = Job(name="j", queue=queue, owner=user, tags=[Tag(name="a"), Tag(name="b")])
        agent = Agent(name="ag")
        run = JobRun(job=job, agent=agent, attempt=1, logs=[RunLog(message="hi")])
        session.add_all([job, run, Heartbeat(agent=agent, load=0.5)])
    with db.get_session() as session:
        job = session.execute(select(Job).where(Job.name == "j")).scalar_one()
        assert job.queue.name == "q"
        assert job.owner.team.name == "t"
        assert sorted(t.name for t in job.tags) == ["a", "b"]
        assert [r.attempt for r in job.runs] == [1]
        assert job.runs[0].agent.name == "ag"
        assert job.runs[0].logs[0].message == "hi"
        assert [j.name for j in session.scalars(select(Tag).where(Tag.name == "a")).one().jobs] == ["j"]
        assert session.scalars(select(Agent)).one().heartbeats[0].load == 0.5
        assert [u.email for u in job.queue.team.users] == ["u@example.com"]


def test_runs_are_selectin_loaded_and_survive_expunge(db):
    with db.get_session() as session:
        session.add(Job(name="j", queue=Queue(name="q"), runs=[JobRun(attempt=1), JobRun(attempt=2)]))
    with db.get_session() as session:
        job = session.scalars(select(Job)).one()
        session.expunge(job)
    assert [r.attempt for r in job.runs] == [1, 2]


def test_job_defaults_and_terminal_flag(db):
    with db.get_session() as session:
        job = Job(name="j", queue=Queue(name="q"))
        session.add(job)
        session.flush()
        assert job.state == "pending"
        assert job.attempts == 0 and job.max_attempts == 3
        assert job.is_terminal is False
        job.state = "cancelled"
        assert job.is_terminal is True


def test_agent_label_set():
    assert Agent(name="a", labels="linux, gpu,,arm ").label_set() == {"linux", "gpu", "arm"}


def test_queue_delete_cascades_to_jobs_and_runs(db):
    with db.get_session() as session:
        session.add(Job(name="j", queue=Queue(name="q"), runs=[JobRun(attempt=1)]))
    with db.get_session() as session:
        session.delete(session.scalars(select(Queue)).one())
    with db.get_session() as session:
        assert session.scalars(select(Job)).all() == []
        assert session.scalars(select(JobRun)).all() == []
