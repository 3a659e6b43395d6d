"""Subnet operations: create inside the VPC in one AZ, delete, auto-assign public IP."""

from __future__ import annotations

import dataclasses
from typing import Any

from ..addressing import check_block_size, parse_cidr
from ..messages import message, text
from ..model import NetworkAclAssociation, Subnet, Vpc
from ..regions import availability_zones
from ..topology import Topology
from ._rules import parse_tags, refuse, require, within_quota

# What a learner reads when AWS refuses (ids for the engine catalog, English here).
text(
    "error.subnet.create_subnet.InvalidParameterValue",
    "{zone} is not an Availability Zone of {region}; choose one of {zones}.",
)
text(
    "error.subnet.create_subnet.InvalidSubnet.Conflict",
    "The subnet {block} overlaps {subnet_id} ({cidr_block}).",
)
text(
    "error.subnet.create_subnet.InvalidSubnet.Range",
    "The subnet {block} is not inside the VPC's CIDR blocks ({items}).",
)
text(
    "error.subnet.delete_subnet.DependencyViolation",
    "The subnet {subnet_id} still has network interfaces ({items}); terminate or delete them "
    "first.",
)


def create_subnet(
    topology: Topology,
    *,
    vpc_id: str,
    cidr_block: str,
    availability_zone: str | None = None,
    tags: Any = None,
    map_public_ip_on_launch: bool = False,
    default_for_az: bool = False,
) -> Subnet:
    """A subnet joins the main route table and the default NACL (VPC UG: subnet-sizing)."""
    vpc: Vpc = topology.get("vpc", vpc_id)
    block = parse_cidr(cidr_block, what="subnet CIDR block")
    check_block_size(block, code="InvalidSubnet.Range", what="subnet CIDR block")
    if not any(block.subnet_of(vpc_block) for vpc_block in vpc.cidr_blocks):
        raise refuse(
            "InvalidSubnet.Range",
            message(
                "error.subnet.create_subnet.InvalidSubnet.Range",
                block=block,
                items=", ".join(str(b) for b in vpc.cidr_blocks),
            ),
        )
    for other in topology.subnets_of(vpc_id):
        if other.cidr_block.overlaps(block):
            raise refuse(
                "InvalidSubnet.Conflict",
                message(
                    "error.subnet.create_subnet.InvalidSubnet.Conflict",
                    block=block,
                    subnet_id=other.subnet_id,
                    cidr_block=other.cidr_block,
                ),
            )
    zones = availability_zones(topology.region)
    zone = availability_zone or zones[0]
    require(
        zone in zones,
        "InvalidParameterValue",
        message(
            "error.subnet.create_subnet.InvalidParameterValue",
            zone=zone,
            region=topology.region,
            zones=", ".join(zones),
        ),
    )
    within_quota("subnets_per_vpc", len(topology.subnets_of(vpc_id)) + 1)
    subnet = Subnet(
        subnet_id=topology.ids.new("subnet"),
        vpc_id=vpc_id,
        cidr_block=block,
        availability_zone=zone,
        map_public_ip_on_launch=map_public_ip_on_launch,
        default_for_az=default_for_az,
        tags=parse_tags(tags),
    )
    topology.put(subnet)
    acl = topology.default_network_acl(vpc_id)
    if acl is not None:  # AWS lists the implicit association on the default NACL
        association = NetworkAclAssociation(
            topology.ids.new("network-acl-association"), subnet.subnet_id
        )
        topology.put(dataclasses.replace(acl, associations=(*acl.associations, association)))
    return subnet


def delete_subnet(topology: Topology, *, subnet_id: str) -> None:
    """Refused while network interfaces (instances, NAT gateways) are in it."""
    subnet: Subnet = topology.get("subnet", subnet_id)
    enis = topology.enis_in_subnet(subnet_id)
    if enis:
        users = [e.instance_id or e.network_interface_id for e in enis]
        raise refuse(
            "DependencyViolation",
            message(
                "error.subnet.delete_subnet.DependencyViolation",
                subnet_id=subnet.subnet_id,
                items=", ".join(users[:5]),
            ),
        )
    for rtb in list(topology.route_tables.values()):
        if subnet_id in rtb.subnet_ids:
            topology.put(
                dataclasses.replace(
                    rtb, associations=tuple(a for a in rtb.associations if a.subnet_id != subnet_id)
                )
            )
    for acl in list(topology.network_acls.values()):
        if any(a.subnet_id == subnet_id for a in acl.associations):
            topology.put(
                dataclasses.replace(
                    acl, associations=tuple(a for a in acl.associations if a.subnet_id != subnet_id)
                )
            )
    topology.remove("subnet", subnet_id)


def modify_subnet_attribute(
    topology: Topology, *, subnet_id: str, map_public_ip_on_launch: bool
) -> Subnet:
    subnet: Subnet = topology.get("subnet", subnet_id)
    return topology.put(
        dataclasses.replace(  # type: ignore[no-any-return]
            subnet, map_public_ip_on_launch=map_public_ip_on_launch
        )
    )
