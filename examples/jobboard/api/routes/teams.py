"""Team endpoints."""

from fastapi import APIRouter, Depends, HTTPException

from jobboard.api.deps import get_db_service
from jobboard.api.schemas import TeamCreate, UserCreate
from jobboard.db import DatabaseService
from jobboard.models import Team
from jobboard.serializers import team_to_dict, user_to_dict
from jobboard.services.teams import TeamService

router = APIRouter(prefix="/teams")


@router.post("", status_code=201)
def create_team(body: TeamCreate, db: DatabaseService = Depends(get_db_service)):
    return team_to_dict(TeamService(db).create_team(body.name))


@router.get("")
def list_teams(db: DatabaseService = Depends(get_db_service)):
    return TeamService(db).teams_with_members()


@router.post("/{team_id}/users", status_code=201)
async def add_user(team_id: int, body: UserCreate, db: DatabaseService = Depends(get_db_service)):
    with db.get_session() as sess:
        if sess.get(Team, team_id) is None:
            raise HTTPException(status_code=404, detail="team not found")
    user = TeamService(db).add_user(team_id, body.email, body.is_admin)
    return user_to_dict(user)


@router.get("/{team_id}/users")
async def members(team_id: int, db: DatabaseService = Depends(get_db_service)):
    return TeamService(db).members(team_id)


@router.get("/load")
def team_load(db: DatabaseService = Depends(get_db_service)):
    return TeamService(db).team_load()
