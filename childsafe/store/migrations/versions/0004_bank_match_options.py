"""banks: per-bank robust-matching switches

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 17:30:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (no table rebuild): rebuilding `banks` on SQLite would cascade to its entries.
    op.add_column('banks', sa.Column('match_options', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))


def downgrade() -> None:
    with op.batch_alter_table('banks') as batch:
        batch.drop_column('match_options')
