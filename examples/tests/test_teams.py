def test_create_team_and_users(team_service, team, owner, other_user):
    assert team.name == "platform"
    assert owner.is_admin and not other_user.is_admin
    assert [m["email"] for m in team_service.members(team.id)] == ["ada@example.com", "bob@example.com"]
    assert team_service.team_count() == 1


def test_get_user_by_email(team_service, owner):
    assert team_service.get_user_by_email("ada@example.com").id == owner.id
    assert team_service.get_user_by_email("nobody@example.com") is None


def test_admins(team_service, owner, other_user):
    team_service.add_user(None, "root@example.com", is_admin=True)
    assert team_service.admins() == ["ada@example.com", "root@example.com"]


def test_team_for_user(team_service, owner):
    team_service.add_user(None, "solo@example.com")
    assert team_service.team_for_user("ada@example.com") == "platform"
    assert team_service.team_for_user("solo@example.com") is None
    assert team_service.team_for_user("ghost@example.com") is None


def test_team_load(team_service, seeded_jobs, task_queue, queue_service):
    ops = team_service.create_team("ops")
    queue_service.create_queue("ops-q", team_name="ops")
    task_queue.complete(seeded_jobs["deploy"].id)
    assert team_service.team_load() == {"platform": 2}
    assert ops.name == "ops"


def test_teams_with_members(team_service, owner, other_user):
    team_service.create_team("empty")
    assert team_service.teams_with_members() == {
        "empty": [],
        "platform": ["ada@example.com", "bob@example.com"],
    }


def test_remove_user_unassigns_jobs(team_service, seeded_jobs, job_service, other_user):
    assert team_service.remove_user("bob@example.com") is True
    assert team_service.remove_user("bob@example.com") is False
    assert job_service.get_job(seeded_jobs["deploy"].id).owner_id is None
    assert [m["email"] for m in team_service.members(other_user.team_id)] == ["ada@example.com"]
