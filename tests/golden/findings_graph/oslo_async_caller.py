"""An async def calling enginefacade-decorated functions reaches sync database work."""
from oslo_db.sqlalchemy import enginefacade

from app.db.models import Instance

context_manager = enginefacade.transaction_context()


@context_manager.reader
def instance_get(context, instance_id):
    return context.session.query(Instance).filter_by(id=instance_id).one()


@context_manager.writer
def touch(context):
    # no query here: the decorator alone opens a transaction
    return None


def undecorated(context):
    return context.session


async def show(context, instance_id):
    return instance_get(context, instance_id)


async def poke(context):
    touch(context)


async def fine(context):
    return undecorated(context)
