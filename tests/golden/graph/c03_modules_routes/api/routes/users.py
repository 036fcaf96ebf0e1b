from fastapi import APIRouter, Depends

from api.db import DatabaseService
from api.deps import get_db
from api.users import UserService, user_names

router = APIRouter()


@router.get("/users/count")
async def count(db: DatabaseService = Depends(get_db)):
    return {"n": UserService(db).count()}


@router.get("/users/names")
def names(db=Depends(get_db)):
    return user_names(db)
