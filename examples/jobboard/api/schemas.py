"""Request bodies."""

from __future__ import annotations

from typing import Any, List, Optional

from pydantic import BaseModel, Field


class JobCreate(BaseModel):
    queue: str
    name: str
    payload: dict[str, Any] = Field(default_factory=dict)
    priority: int = 0
    owner_email: Optional[str] = None
    tags: List[str] = Field(default_factory=list)


class QueueCreate(BaseModel):
    name: str
    team: Optional[str] = None
    max_concurrency: int = 4


class AgentRegister(BaseModel):
    name: str
    capacity: int = 2
    labels: str = ""


class HeartbeatIn(BaseModel):
    load: float = 0.0


class ScheduleCreate(BaseModel):
    queue_id: int
    name: str
    interval_seconds: int
    payload: dict[str, Any] = Field(default_factory=dict)
    priority: int = 0


class TeamCreate(BaseModel):
    name: str


class UserCreate(BaseModel):
    email: str
    is_admin: bool = False
