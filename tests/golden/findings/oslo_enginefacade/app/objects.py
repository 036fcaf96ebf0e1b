"""Decorators and transaction contexts of another module (nova/objects)."""
from app.db import api as db
from app.db import models


class Instance:
    @db.context_manager.reader
    def _get(self, context, instance_id):
        return context.session.query(models.Instance).filter_by(id=instance_id).one()

    @staticmethod
    @db.pick_context_manager_reader
    def _list(context):
        return context.session.query(models.Instance).all()


def _bump(context, instance_id):
    cm = db.get_context_manager(context).writer
    with cm.using(context) as session:
        session.query(models.Instance).filter_by(id=instance_id).update({"name": None})
