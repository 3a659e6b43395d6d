"""Troubleshooting challenges: what a challenge topology remembers (docs/labs.md)

``topology.challenge`` (JSON, None for every other topology): the injected faults (code,
component, parameters), the original network as a describe-* bundle (a fault counts as found
once the flows it broke there pass again) and the hints taken. What is found is never stored:
every view judges the network as it is now.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: a plain ALTER TABLE ADD COLUMN on SQLite and PostgreSQL, no table copy.
    op.add_column("topology", sa.Column("challenge", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("topology", schema=None) as batch_op:
        batch_op.drop_column("challenge")
