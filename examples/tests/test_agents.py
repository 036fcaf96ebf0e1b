from datetime import timedelta

import pytest

from jobboard.clock import utcnow
from jobboard.services.agents import agent_names


def test_register_and_reregister(agent_service, agent):
    assert (agent.name, agent.status, agent.capacity) == ("agent-a", "online", 3)
    assert agent.label_set() == {"linux", "gpu"}
    again = agent_service.register("agent-a", capacity=5)
    assert again.id == agent.id
    assert again.capacity == 5
    assert agent_service.get(agent.id).capacity == 5
    assert agent_service.get(999) is None


def test_heartbeat_updates_last_seen_and_revives(agent_service, agent):
    agent_service.heartbeat(agent.id, load=0.25)
    agent_service.heartbeat(agent.id, load=0.75)
    assert agent_service.recent_heartbeats(agent.id) == [0.75, 0.25]
    assert agent_service.recent_heartbeats(agent.id, limit=1) == [0.75]
    assert agent_service.average_load(agent.id) == pytest.approx(0.5)


def test_heartbeat_unknown_agent(agent_service):
    with pytest.raises(LookupError):
        agent_service.heartbeat(42)


def test_average_load_since(agent_service, agent):
    agent_service.heartbeat(agent.id, load=1.0, at=utcnow() - timedelta(hours=2))
    agent_service.heartbeat(agent.id, load=0.2)
    assert agent_service.average_load(agent.id, since=utcnow() - timedelta(hours=1)) == pytest.approx(0.2)
    assert agent_service.average_load(agent.id) == pytest.approx(0.6)
    assert agent_service.average_load(999) is None


def test_list_online_and_stale_offline(agent_service, agent):
    other = agent_service.register("agent-b")
    agent_service.heartbeat(other.id, at=utcnow() - timedelta(hours=1))
    assert [a.name for a in agent_service.list_online()] == ["agent-a", "agent-b"]
    assert agent_service.mark_stale_offline(600) == 1
    assert [a.name for a in agent_service.list_online()] == ["agent-a"]
    assert agent_service.status_counts() == {"online": 1, "offline": 1}
    agent_service.heartbeat(other.id)
    assert agent_service.status_counts() == {"online": 2}


def test_drain(agent_service, agent):
    agent_service.drain(agent.id)
    assert agent_service.get(agent.id).status == "draining"
    assert agent_service.list_online() == []
    with pytest.raises(LookupError):
        agent_service.drain(999)


def test_online_capacity(agent_service, agent):
    assert agent_service.online_capacity() == 3
    b = agent_service.register("agent-b", capacity=4)
    assert agent_service.online_capacity() == 7
    agent_service.drain(b.id)
    assert agent_service.online_capacity() == 3


def test_online_capacity_without_agents(agent_service):
    assert agent_service.online_capacity() == 0


def test_prune_heartbeats(agent_service, agent):
    agent_service.heartbeat(agent.id, at=utcnow() - timedelta(days=3))
    agent_service.heartbeat(agent.id, at=utcnow() - timedelta(days=2))
    agent_service.heartbeat(agent.id)
    assert agent_service.prune_heartbeats(utcnow() - timedelta(days=1)) == 2
    assert len(agent_service.recent_heartbeats(agent.id)) == 1


def test_agent_names_module_function(db, agent_service, agent):
    b = agent_service.register("agent-b")
    agent_service.drain(b.id)
    assert agent_names(db) == ["agent-a", "agent-b"]
    assert agent_names(db, status="draining") == ["agent-b"]
