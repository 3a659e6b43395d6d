"""Every AWS resource kind the lab models, declared once.

A kind's names (its id prefix, its describe-* key and id field, its ``…NotFound`` error, its REST
collection, the words a page uses) are written here and nowhere else: the topology container,
the bundle reader and writer, the database tables, the API collections and the pages derive
theirs from ``KINDS``. Adding a kind is a model class, one ``Kind`` below, its reader and writer
in ``bundle/``, its operations, and an Alembic migration for its table.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import (
    Address,
    DhcpOptions,
    Instance,
    InternetGateway,
    NatGateway,
    NetworkAcl,
    NetworkInterface,
    RouteTable,
    SecurityGroup,
    Subnet,
    Vpc,
    VpcPeeringConnection,
)


@dataclass(frozen=True)
class Kind:
    """One resource kind: how AWS names it, and how the lab's faces name it.

    >>> KIND["nat-gateway"].bundle_key
    'NatGateways'
    """

    name: str  # kebab-case, as the trace's component types and the pages write it
    model: type
    id_field: str  # the model's attribute that holds the id
    id_prefix: str  # ``vpc`` in ``vpc-0a1b…``
    bundle_key: str  # the describe-* output's top-level key
    describe_id: str  # the id's field in a describe-* item
    not_found: str  # the EC2 API error code for an unknown id
    noun: str  # in sentences: "The NAT gateway 'nat-…' does not exist."
    label: str  # as the console titles it
    collection: str  # the REST collection under /topologies/{id}/
    delete_verb: str = "Delete"  # the console's word for removing one

    @property
    def table(self) -> str:
        return self.name.replace("-", "_")


# In dependency order: a kind refers only to kinds before it (or to peers of its own kind).
KINDS: tuple[Kind, ...] = (
    Kind(
        "dhcp-options",
        DhcpOptions,
        "dhcp_options_id",
        "dopt",
        "DhcpOptions",
        "DhcpOptionsId",
        # Sic: EC2 spells this one "Option" (API reference, Common client error codes).
        "InvalidDhcpOptionID.NotFound",
        "DHCP options set",
        "DHCP options set",
        "dhcp-options",
    ),
    Kind(
        "vpc",
        Vpc,
        "vpc_id",
        "vpc",
        "Vpcs",
        "VpcId",
        "InvalidVpcID.NotFound",
        "VPC",
        "VPC",
        "vpcs",
    ),
    Kind(
        "subnet",
        Subnet,
        "subnet_id",
        "subnet",
        "Subnets",
        "SubnetId",
        "InvalidSubnetID.NotFound",
        "subnet",
        "Subnet",
        "subnets",
    ),
    Kind(
        "internet-gateway",
        InternetGateway,
        "internet_gateway_id",
        "igw",
        "InternetGateways",
        "InternetGatewayId",
        "InvalidInternetGatewayID.NotFound",
        "internet gateway",
        "Internet gateway",
        "internet-gateways",
    ),
    Kind(
        "route-table",
        RouteTable,
        "route_table_id",
        "rtb",
        "RouteTables",
        "RouteTableId",
        "InvalidRouteTableID.NotFound",
        "route table",
        "Route table",
        "route-tables",
    ),
    Kind(
        "network-acl",
        NetworkAcl,
        "network_acl_id",
        "acl",
        "NetworkAcls",
        "NetworkAclId",
        "InvalidNetworkAclID.NotFound",
        "network ACL",
        "Network ACL",
        "network-acls",
    ),
    Kind(
        "security-group",
        SecurityGroup,
        "group_id",
        "sg",
        "SecurityGroups",
        "GroupId",
        "InvalidGroup.NotFound",
        "security group",
        "Security group",
        "security-groups",
    ),
    Kind(
        "network-interface",
        NetworkInterface,
        "network_interface_id",
        "eni",
        "NetworkInterfaces",
        "NetworkInterfaceId",
        "InvalidNetworkInterfaceID.NotFound",
        "network interface",
        "Network interface",
        "network-interfaces",
    ),
    Kind(
        "instance",
        Instance,
        "instance_id",
        "i",
        "Reservations",
        "InstanceId",
        "InvalidInstanceID.NotFound",
        "instance",
        "Instance",
        "instances",
        delete_verb="Terminate",
    ),
    Kind(
        "nat-gateway",
        NatGateway,
        "nat_gateway_id",
        "nat",
        "NatGateways",
        "NatGatewayId",
        "NatGatewayNotFound",
        "NAT gateway",
        "NAT gateway",
        "nat-gateways",
    ),
    Kind(
        "address",
        Address,
        "allocation_id",
        "eipalloc",
        "Addresses",
        "AllocationId",
        "InvalidAllocationID.NotFound",
        "Elastic IP allocation",
        "Elastic IP",
        "addresses",
        delete_verb="Release",
    ),
    Kind(
        "vpc-peering-connection",
        VpcPeeringConnection,
        "vpc_peering_connection_id",
        "pcx",
        "VpcPeeringConnections",
        "VpcPeeringConnectionId",
        "InvalidVpcPeeringConnectionID.NotFound",
        "VPC peering connection",
        "Peering connection",
        "vpc-peering-connections",
    ),
)

KIND: dict[str, Kind] = {kind.name: kind for kind in KINDS}
KIND_OF_MODEL: dict[type, Kind] = {kind.model: kind for kind in KINDS}
