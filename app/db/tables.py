"""SQLModel tables: topologies, one table per AWS resource kind, stored analyses.

A resource row keeps its describe-* document (the engine's one conversion) plus the columns
worth querying (VPC, name). Constraint names follow a naming convention so Alembic's batch mode
can alter them on SQLite.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, MetaData
from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def now() -> datetime:
    return datetime.now(UTC)


class Topology(SQLModel, table=True):
    """A sandbox of one AWS account in one region; ``revision`` grows with every change."""

    id: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=200)
    region: str = Field(max_length=32)
    revision: int = 0
    created_at: datetime = Field(default_factory=now)
    updated_at: datetime = Field(default_factory=now)


class ResourceRow(SQLModel):
    """The columns every resource table has."""

    topology_id: str = Field(
        primary_key=True, max_length=32, foreign_key="topology.id", ondelete="CASCADE"
    )
    resource_id: str = Field(primary_key=True, max_length=64)
    vpc_id: str | None = Field(default=None, max_length=64, index=True)
    name: str | None = Field(default=None, max_length=256)
    document: dict[str, Any] = Field(sa_type=JSON, sa_column_kwargs={"nullable": False})


class VpcRow(ResourceRow, table=True):
    __tablename__ = "vpc"


class SubnetRow(ResourceRow, table=True):
    __tablename__ = "subnet"


class RouteTableRow(ResourceRow, table=True):
    __tablename__ = "route_table"


class InternetGatewayRow(ResourceRow, table=True):
    __tablename__ = "internet_gateway"


class NatGatewayRow(ResourceRow, table=True):
    __tablename__ = "nat_gateway"


class SecurityGroupRow(ResourceRow, table=True):
    __tablename__ = "security_group"


class NetworkAclRow(ResourceRow, table=True):
    __tablename__ = "network_acl"


class NetworkInterfaceRow(ResourceRow, table=True):
    __tablename__ = "network_interface"


class InstanceRow(ResourceRow, table=True):
    __tablename__ = "instance"


class AddressRow(ResourceRow, table=True):
    __tablename__ = "address"


class VpcPeeringConnectionRow(ResourceRow, table=True):
    __tablename__ = "vpc_peering_connection"


ROW_OF_KIND: dict[str, type[ResourceRow]] = {
    "vpc": VpcRow,
    "subnet": SubnetRow,
    "route-table": RouteTableRow,
    "internet-gateway": InternetGatewayRow,
    "nat-gateway": NatGatewayRow,
    "security-group": SecurityGroupRow,
    "network-acl": NetworkAclRow,
    "network-interface": NetworkInterfaceRow,
    "instance": InstanceRow,
    "address": AddressRow,
    "vpc-peering-connection": VpcPeeringConnectionRow,
}


class Analysis(SQLModel, table=True):
    """A stored "test connection": its request, and the result at the revision it ran on."""

    id: int | None = Field(default=None, primary_key=True)
    topology_id: str = Field(
        max_length=32, foreign_key="topology.id", ondelete="CASCADE", index=True
    )
    revision: int
    reachable: bool
    request: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    result: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=now)
