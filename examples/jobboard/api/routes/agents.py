"""Agent endpoints."""

import asyncio

from fastapi import APIRouter, Depends, HTTPException

from jobboard.api.deps import get_db_service
from jobboard.api.schemas import AgentRegister, HeartbeatIn
from jobboard.clock import utcnow
from jobboard.db import DatabaseService
from jobboard.models import Agent, Heartbeat
from jobboard.serializers import agent_to_dict
from jobboard.services.agents import AgentService
from jobboard.services.dispatch import DispatchService
from jobboard.services.guardian import GuardianService

router = APIRouter(prefix="/agents")


@router.post("", status_code=201)
async def register_agent(body: AgentRegister, db: DatabaseService = Depends(get_db_service)):
    agent = AgentService(db).register(body.name, body.capacity, body.labels)
    return agent_to_dict(agent)


@router.get("")
def online_agents(db: DatabaseService = Depends(get_db_service)):
    return [agent_to_dict(agent) for agent in AgentService(db).list_online()]


@router.post("/{agent_id}/heartbeat")
async def heartbeat(agent_id: int, body: HeartbeatIn, db: DatabaseService = Depends(get_db_service)):
    with db.get_session() as session:
        agent = session.get(Agent, agent_id)
        if agent is None:
            raise HTTPException(status_code=404, detail="agent not found")
        now = utcnow()
        session.add(Heartbeat(agent_id=agent_id, load=body.load, at=now))
        agent.last_seen = now
        agent.status = "online" if agent.status == "offline" else agent.status
        session.commit()
    return {"ok": True}


@router.post("/{agent_id}/assign")
async def assign(agent_id: int, db: DatabaseService = Depends(get_db_service)):
    job_id = DispatchService(db).assign(agent_id)
    return {"job_id": job_id}


@router.get("/{agent_id}/health")
async def agent_health(agent_id: int, db: DatabaseService = Depends(get_db_service)):
    guardian = GuardianService(db)
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, guardian.analyze, agent_id)


@router.post("/{agent_id}/drain")
def drain_agent(agent_id: int, db: DatabaseService = Depends(get_db_service)):
    try:
        AgentService(db).drain(agent_id)
    except LookupError:
        raise HTTPException(status_code=404, detail="agent not found")
    return {"status": "draining"}
