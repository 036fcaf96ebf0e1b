"""add agents.labels

Revision ID: 0001_agent_labels
Revises:
Create Date: 2024-03-02 10:12:44
"""
import sqlalchemy as sa
from alembic import op

revision = "0001_agent_labels"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("agents", sa.Column("labels", sa.String(200), nullable=False, server_default=""))


def downgrade() -> None:
    op.drop_column("agents", "labels")
