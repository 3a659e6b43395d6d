"""Guided labs: the lab a topology follows and the step it is on (docs/labs.md)

``topology.lab`` is the lab's id (its file name in ``labs/``; None for a topology that follows
no lab), ``topology.lab_step`` the step shown, 0-based. The checks are evaluated on every view,
never stored: a step's progress is what the network does now.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable, and NOT NULL with a server default: plain ALTER TABLE ADD COLUMN on SQLite and
    # PostgreSQL, no table copy; the topologies that exist follow no lab.
    op.add_column(
        "topology",
        sa.Column("lab", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    )
    op.add_column(
        "topology",
        sa.Column("lab_step", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    with op.batch_alter_table("topology", schema=None) as batch_op:
        batch_op.drop_column("lab_step")
        batch_op.drop_column("lab")
