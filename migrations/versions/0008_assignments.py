"""Assignments: a guided lab given to a class, and each student's copy of it

``assignment`` is the lab given (its id in ``labs/``), its title, whether each copy is a
variant with addresses of its own, and the opening and due dates (UTC). ``assignment_work`` is
a student's copy: the topology they work in, the variant's seed and the grade recorded at the
first view after the due date.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("classroom_id", sa.Integer(), nullable=False),
        sa.Column("lab_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("variants", sa.Boolean(), nullable=False),
        sa.Column("opens_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("due_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["classroom_id"],
            ["classroom.id"],
            name=op.f("fk_assignment_classroom_id_classroom"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment")),
    )
    op.create_index(
        op.f("ix_assignment_classroom_id"), "assignment", ["classroom_id"], unique=False
    )
    op.create_table(
        "assignment_work",
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("topology_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=True),
        sa.Column("grade_at_due", sa.Integer(), nullable=True),
        sa.Column("graded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_assignment_work_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignment.id"],
            name=op.f("fk_assignment_work_assignment_id_assignment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topology_id"],
            ["topology.id"],
            name=op.f("fk_assignment_work_topology_id_topology"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assignment_id", "account_id", name=op.f("pk_assignment_work")),
        sa.UniqueConstraint("topology_id", name=op.f("uq_assignment_work_topology_id")),
    )
    op.create_index(
        op.f("ix_assignment_work_account_id"), "assignment_work", ["account_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_assignment_work_account_id"), table_name="assignment_work")
    op.drop_table("assignment_work")
    op.drop_index(op.f("ix_assignment_classroom_id"), table_name="assignment")
    op.drop_table("assignment")
