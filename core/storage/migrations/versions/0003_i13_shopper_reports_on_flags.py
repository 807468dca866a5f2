"""shopper reports on flags: evidence and escalations

`flag.evidence`: what a shopper's report carries (the carrier's delivery event, the items,
photo references, the claims' times); `flag.escalations`: how often the same shopper
reported the same problem again while the flag was open.

Revision ID: 0003_i13
Revises: 0002
Create Date: 2026-12-03 18:40:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003_i13'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('flag', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evidence', sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column('escalations', sa.Integer(), server_default=sa.text('0'), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('flag', schema=None) as batch_op:
        batch_op.drop_column('escalations')
        batch_op.drop_column('evidence')
