"""Accounts: the local owner of personal mode, and every topology belongs to one account

Before this revision the lab had no users. The local owner (id 1, who signs in never: personal
mode acts as them) is created and given every topology that exists.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 09:30:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOCAL_OWNER_ID = 1


def upgrade() -> None:
    account = op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("display_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint("login", name=op.f("uq_account_login")),
    )
    op.bulk_insert(
        account,
        [
            {
                "id": LOCAL_OWNER_ID,
                "login": "local",
                "display_name": "",
                "role": "owner",
                "password_hash": None,
                "must_change_password": False,
                "created_at": datetime.now(UTC),
            }
        ],
    )
    op.create_table(
        "classroom",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("instructor_id", sa.Integer(), nullable=False),
        sa.Column("join_code", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["instructor_id"],
            ["account.id"],
            name=op.f("fk_classroom_instructor_id_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_classroom")),
        sa.UniqueConstraint("join_code", name=op.f("uq_classroom_join_code")),
    )
    op.create_index(
        op.f("ix_classroom_instructor_id"), "classroom", ["instructor_id"], unique=False
    )
    op.create_table(
        "membership",
        sa.Column("classroom_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_membership_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["classroom_id"],
            ["classroom.id"],
            name=op.f("fk_membership_classroom_id_classroom"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("classroom_id", "account_id", name=op.f("pk_membership")),
    )
    op.create_index(op.f("ix_membership_account_id"), "membership", ["account_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # An id given explicitly does not move PostgreSQL's sequence: the next account would
        # get id 1 again without this.
        op.execute("SELECT setval(pg_get_serial_sequence('account', 'id'), 1)")
    # On SQLite, batch mode copies the table and drops the old one: app.db.migrate turns
    # foreign keys off while migrating, or the drop would cascade to every resource row.
    with op.batch_alter_table("topology", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("owner_id", sa.Integer(), nullable=False, server_default=str(LOCAL_OWNER_ID))
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_topology_owner_id_account"),
            "account",
            ["owner_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index(batch_op.f("ix_topology_owner_id"), ["owner_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("topology", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_topology_owner_id_account"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_topology_owner_id"))
        batch_op.drop_column("owner_id")
    op.drop_index(op.f("ix_membership_account_id"), table_name="membership")
    op.drop_table("membership")
    op.drop_index(op.f("ix_classroom_instructor_id"), table_name="classroom")
    op.drop_table("classroom")
    op.drop_table("account")
