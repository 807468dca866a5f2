"""live status messages: one message per followed order, edited in place as scans arrive

`livestatus`: for each chat and followed order, the message to edit and the version of
the order's state it shows (core.pushes.live).

Revision ID: 0004_i17
Revises: 0002
Create Date: 2026-12-03 18:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import core.storage.columns


revision: str = '0004_i17'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'livestatus',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('identity_id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('recipient', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column('message_ref', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
        sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('shown_version', sa.Integer(), nullable=False),
        sa.Column('due_at', core.storage.columns.UTCDateTime(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('claimed_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column('lease_until', core.storage.columns.UTCDateTime(), nullable=True),
        sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column('updated_at', core.storage.columns.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['identity_id'], ['channelidentity.id'], ),
        sa.ForeignKeyConstraint(['order_id'], ['shop_order.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('identity_id', 'order_id', name='uq_livestatus_chat_order'),
    )
    with op.batch_alter_table('livestatus', schema=None) as batch_op:
        batch_op.create_index('ix_livestatus_due', ['state', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_livestatus_order_id'), ['order_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('livestatus', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_livestatus_order_id'))
        batch_op.drop_index('ix_livestatus_due')
    op.drop_table('livestatus')
