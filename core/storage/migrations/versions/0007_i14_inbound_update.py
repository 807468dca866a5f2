"""inbound webhook updates kept before the 200

`inbound_update`: a webhook update is stored before Telegram is answered and deleted
once handled; a replica takes up one whose lease (`held_until`) ran out.

Revision ID: 0007_i14
Revises: 0003_i13
Create Date: 2026-12-03 18:45:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import core.storage.columns


revision: str = '0007_i14'
down_revision: str | None = '0003_i13'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('inbound_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('update_key', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('received_at', core.storage.columns.UTCDateTime(), nullable=False),
    sa.Column('held_until', core.storage.columns.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('channel', 'update_key', name='uq_inbound_update')
    )
    with op.batch_alter_table('inbound_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbound_update_held_until'), ['held_until'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('inbound_update', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbound_update_held_until'))
    op.drop_table('inbound_update')
