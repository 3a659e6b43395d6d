"""DHCP options sets: their table, and AWS's default set for the VPCs that exist already

Before this revision a VPC's document said ``"DhcpOptionsId": "default"`` whatever it had:
the lab had no DHCP options. In AWS a VPC starts with its account-region's default set, so each
topology with VPCs gets that set, and its VPCs that said "default" are associated with it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 07:00:00
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OWNER_ID = "123456789012"


def upgrade() -> None:
    op.create_table(
        "dhcp_options",
        sa.Column("topology_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("resource_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("vpc_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["topology_id"],
            ["topology.id"],
            name=op.f("fk_dhcp_options_topology_id_topology"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("topology_id", "resource_id", name=op.f("pk_dhcp_options")),
    )
    with op.batch_alter_table("dhcp_options", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dhcp_options_vpc_id"), ["vpc_id"], unique=False)
    _give_existing_vpcs_the_default_set()


def _give_existing_vpcs_the_default_set() -> None:
    bind = op.get_bind()
    topology = sa.table("topology", sa.column("id"), sa.column("region"))
    vpc = sa.table(
        "vpc", sa.column("topology_id"), sa.column("resource_id"), sa.column("document", sa.JSON)
    )
    dhcp = sa.table(
        "dhcp_options",
        sa.column("topology_id"),
        sa.column("resource_id"),
        sa.column("vpc_id"),
        sa.column("name"),
        sa.column("document", sa.JSON),
    )
    regions = dict(bind.execute(sa.select(topology.c.id, topology.c.region)).all())
    chosen: dict[str, str] = {}
    for topology_id, vpc_id, document in bind.execute(
        sa.select(vpc.c.topology_id, vpc.c.resource_id, vpc.c.document)
    ).all():
        if document.get("DhcpOptionsId", "default") != "default":
            continue
        if topology_id not in chosen:
            region = regions[topology_id]
            dopt = f"dopt-{secrets.randbits(68):017x}"
            domain = "ec2.internal" if region == "us-east-1" else f"{region}.compute.internal"
            bind.execute(
                sa.insert(dhcp).values(
                    topology_id=topology_id,
                    resource_id=dopt,
                    vpc_id=None,
                    name=None,
                    document={
                        "DhcpConfigurations": [
                            {"Key": "domain-name", "Values": [{"Value": domain}]},
                            {
                                "Key": "domain-name-servers",
                                "Values": [{"Value": "AmazonProvidedDNS"}],
                            },
                        ],
                        "DhcpOptionsId": dopt,
                        "OwnerId": OWNER_ID,
                        "Tags": [],
                    },
                )
            )
            chosen[topology_id] = dopt
        bind.execute(
            sa.update(vpc)
            .where(vpc.c.topology_id == topology_id, vpc.c.resource_id == vpc_id)
            .values(document={**document, "DhcpOptionsId": chosen[topology_id]})
        )


def downgrade() -> None:
    with op.batch_alter_table("dhcp_options", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dhcp_options_vpc_id"))
    op.drop_table("dhcp_options")
