"""A lab's life: the template a topology came from, and its revisions (history, restore)

``topology.template`` is what reset goes back to: the topologies that exist were made before the
lab remembered it, so they have none (and cannot be reset). ``topology_revision`` keeps, per
revision, what made it and the resource rows as they were before it (app/db/history.py).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 09:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "topology_revision",
        sa.Column("topology_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("undo", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["topology_id"],
            ["topology.id"],
            name=op.f("fk_topology_revision_topology_id_topology"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("topology_id", "revision", name=op.f("pk_topology_revision")),
    )
    # Adding a nullable column needs no table copy: plain ALTER TABLE on SQLite and PostgreSQL.
    op.add_column(
        "topology",
        sa.Column("template", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    )


def downgrade() -> None:
    with op.batch_alter_table("topology", schema=None) as batch_op:
        batch_op.drop_column("template")
    op.drop_table("topology_revision")
