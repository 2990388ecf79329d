"""banks: an entry's trimmed signal (the original with its own flat edges cut), matched besides its value

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 05:30:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN of a nullable column: no table rebuild, existing entries keep NULL.
    op.add_column('bank_entries', sa.Column('bare', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('bank_entries') as batch:
        batch.drop_column('bare')
