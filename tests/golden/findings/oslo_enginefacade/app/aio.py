"""An enginefacade decorator on an async def: its transaction blocks the event loop."""
from app.db import models
from app.db.api import context_manager


@context_manager.reader
async def decorated_async(context):
    return context.session.query(models.Instance).all()
