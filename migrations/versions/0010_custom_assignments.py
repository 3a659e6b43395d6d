"""Assignments made from an instructor's own topology (issue 13, item 4)

``assignment`` gains the topology it was made from (its id, for the page), ``start`` (that
network as a describe-* bundle, taken when the assignment was made: every student starts from
the same one however the instructor changes theirs later), ``text`` (what the students read)
and ``checks`` (the raw check specs). All NULL for an assignment of a guided lab from the files.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: plain ALTER TABLE ADD COLUMNs on SQLite and PostgreSQL, no table copy.
    op.add_column(
        "assignment",
        sa.Column("source_topology_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    )
    op.add_column("assignment", sa.Column("start", sa.JSON(), nullable=True))
    op.add_column(
        "assignment",
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=True),
    )
    op.add_column("assignment", sa.Column("checks", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_column("checks")
        batch_op.drop_column("text")
        batch_op.drop_column("start")
        batch_op.drop_column("source_topology_id")
