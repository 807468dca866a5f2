"""index the staff queue

`ix_flag_open`: the Home tab's queue reads open flags oldest first; `ix_shipment_delivered`:
its "delivered today" figure (and insights' periods) read a range of delivery times.

Revision ID: 0005_i16a
Revises: 0004_i17
Create Date: 2026-12-03 18:50:00.000000
"""
from collections.abc import Sequence

from alembic import op


revision: str = '0005_i16a'
down_revision: str | None = '0004_i17'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('flag', schema=None) as batch_op:
        batch_op.create_index('ix_flag_open', ['state', 'created_at'], unique=False)

    with op.batch_alter_table('shipment', schema=None) as batch_op:
        batch_op.create_index('ix_shipment_delivered', ['delivered_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('shipment', schema=None) as batch_op:
        batch_op.drop_index('ix_shipment_delivered')

    with op.batch_alter_table('flag', schema=None) as batch_op:
        batch_op.drop_index('ix_flag_open')
