"""oslo.db enginefacade, as nova's db/main/api.py uses it."""
import functools

from oslo_db.sqlalchemy import enginefacade
from oslo_db.sqlalchemy import utils as sqlalchemyutils

from app.db import models

context_manager = enginefacade.transaction_context()


def get_context_manager(context):
    return getattr(context, "db_connection", None) or context_manager


def pick_context_manager_reader(f):
    @functools.wraps(f)
    def wrapper(context, *args, **kwargs):
        ctxt_mgr = get_context_manager(context)
        with ctxt_mgr.reader.using(context):
            return f(context, *args, **kwargs)

    return wrapper


def reader_of(f):
    return context_manager.reader(f)


def model_query(context, model, args=None, read_deleted=None):
    query = sqlalchemyutils.model_query(model, context.session, args)
    if read_deleted == "no":
        query = query.filter_by(deleted=False)
    return query


@context_manager.reader
def instance_get(context, instance_id):
    return context.session.query(models.Instance).filter_by(id=instance_id).first()


@context_manager.writer
def instance_create(context, values):
    instance = models.Instance(**values)
    context.session.add(instance)
    context.session.flush()
    return instance


@enginefacade.writer.independent
def instance_destroy(context, instance_id):
    session = context.session
    session.query(models.Instance).filter_by(id=instance_id).delete()


@pick_context_manager_reader
def instance_list(context):
    return context.session.query(models.Instance).all()


@reader_of
def instance_count(context):
    return context.session.query(models.Instance).count()


@pick_context_manager_reader
def instance_get_by_name(context, name):
    return model_query(context, models.Instance).filter_by(name=name).first()


def instance_rename(context, instance_id, name):
    with context_manager.writer.using(context) as session:
        session.query(models.Instance).filter_by(id=instance_id).update({"name": name})


def instance_touch(context, instance_id):
    with get_context_manager(context).writer.savepoint.using(context):
        context.session.query(models.Instance).get(instance_id)
    # the block is over: context.session is no session any more
    return context.session.query(models.Instance).all()
