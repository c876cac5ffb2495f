"""candidates.city (1.1.0; nullable, additive)

Revision ID: 0002
Revises: 0001
Create Date: 2026-02-01 00:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("candidates", sa.Column("city", sa.String(length=128), nullable=True))


def downgrade() -> None:
    op.drop_column("candidates", "city")
