"""Teams and users."""

from __future__ import annotations

from typing import Any, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from jobboard.db import DatabaseService
from jobboard.models import Job, Queue, Team, User
from jobboard.serializers import user_to_dict


class TeamService:
    def __init__(self, db: DatabaseService) -> None:
        self.db = db

    def create_team(self, name: str) -> Team:
        with self.db.get_session() as session:
            team = Team(name=name)
            session.add(team)
            session.commit()
            session.refresh(team)
            session.expunge(team)
            return team

    def add_user(self, team_id: Optional[int], email: str, is_admin: bool = False) -> User:
        with self.db.get_session() as session:
            user = User(team_id=team_id, email=email, is_admin=is_admin)
            session.add(user)
            session.flush()
            session.refresh(user)
            session.expunge(user)
            return user

    def get_user_by_email(self, email: str) -> Optional[User]:
        with self.db.get_session() as session:
            stmt = select(User).where(User.email == email)
            user = session.execute(stmt).scalar_one_or_none()
            if user is not None:
                session.expunge(user)
            return user

    def members(self, team_id: int) -> list[dict[str, Any]]:
        with self.db.get_session() as session:
            users = session.query(User).filter_by(team_id=team_id).order_by(User.email).all()
            return [user_to_dict(u) for u in users]

    def admins(self) -> list[str]:
        with self.db.get_session() as session:
            return [u.email for u in session.query(User).filter(User.is_admin.is_(True)).order_by(User.email)]

    def team_for_user(self, email: str) -> Optional[str]:
        with self.db.get_session() as session:
            team = (
                session.query(Team)
                .join(User, User.team_id == Team.id)
                .filter(User.email == email)
                .first()
            )
            return team.name if team else None

    def team_load(self) -> dict[str, int]:
        with self.db.get_session() as session:
            rows = (
                session.query(Team.name, func.count(Job.id))
                .join(Queue, Queue.team_id == Team.id)
                .join(Job, Job.queue_id == Queue.id)
                .filter(Job.state.in_(("ready", "running")))
                .group_by(Team.name)
                .all()
            )
            return dict(rows)

    def teams_with_members(self) -> dict[str, list[str]]:
        with self.db.get_session() as session:
            teams = session.query(Team).options(joinedload(Team.users)).order_by(Team.name).all()
            return {team.name: sorted(u.email for u in team.users) for team in teams}

    def remove_user(self, email: str) -> bool:
        with self.db.get_session() as session:
            user = session.query(User).filter(User.email == email).first()
            if user is None:
                return False
            session.query(Job).filter(Job.owner_id == user.id).update({"owner_id": None}, synchronize_session=False)
            session.delete(user)
            session.commit()
            return True

    def team_count(self) -> int:
        with self.db.get_session() as session:
            return session.query(Team).count()
