"""insights rollups: each shipment's and order's part in a measure, summed per day

`insight_fact` holds one row per shipment or order and measure, `insight_day` their sums
per UTC day, measure, carrier and histogram bucket, `insight_hour` deliveries per hour,
carrier, place and hours in transit (the backtest of predicted windows), `insight_state` how far they are
built (NULL: the first refresh builds them from the whole shop). `updated_at` is indexed
on shipments and orders: a refresh reads what changed since the last one.

Revision ID: 0008_i14
Revises: 0007_i14
Create Date: 2026-12-04 01:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import core.storage.columns


revision: str = '0008_i14'
down_revision: str | None = '0007_i14'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('insight_fact',
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=1), nullable=False),
    sa.Column('source_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('measure', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('at', core.storage.columns.UTCDateTime(), nullable=False),
    sa.Column('day', sa.BigInteger(), nullable=False),
    sa.Column('carrier', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('place', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('bucket', sa.BigInteger(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('source', 'source_id', 'measure')
    )
    with op.batch_alter_table('insight_fact', schema=None) as batch_op:
        batch_op.create_index('ix_insight_fact_at', ['measure', 'at'], unique=False)
        batch_op.create_index('ix_insight_fact_day', ['day'], unique=False)
    op.create_table('insight_day',
    sa.Column('day', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('measure', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('carrier', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('bucket', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('count', sa.BigInteger(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'measure', 'carrier', 'bucket')
    )
    op.create_table('insight_hour',
    sa.Column('day', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('hour', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('carrier', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('place', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('transit_hour', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('count', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'hour', 'carrier', 'place', 'transit_hour')
    )
    state = op.create_table('insight_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('built_through', core.storage.columns.UTCDateTime(), nullable=True),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.bulk_insert(state, [{'id': 1, 'built_through': None, 'generation': 0}])
    with op.batch_alter_table('shipment', schema=None) as batch_op:
        batch_op.create_index('ix_shipment_updated', ['updated_at'], unique=False)
    with op.batch_alter_table('shop_order', schema=None) as batch_op:
        batch_op.create_index('ix_shop_order_updated', ['updated_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('shop_order', schema=None) as batch_op:
        batch_op.drop_index('ix_shop_order_updated')
    with op.batch_alter_table('shipment', schema=None) as batch_op:
        batch_op.drop_index('ix_shipment_updated')
    op.drop_table('insight_state')
    op.drop_table('insight_hour')
    op.drop_table('insight_day')
    with op.batch_alter_table('insight_fact', schema=None) as batch_op:
        batch_op.drop_index('ix_insight_fact_day')
        batch_op.drop_index('ix_insight_fact_at')
    op.drop_table('insight_fact')
