"""VPC operations: create (with its implicit resources), delete, CIDR blocks, DNS attributes."""

from __future__ import annotations

import dataclasses
from typing import Any

from ..addressing import check_block_size, parse_cidr
from ..defaults import default_security_group, new_network_acl, new_route_table
from ..messages import message, text
from ..model import Route, Vpc
from ..topology import Topology
from ._rules import parse_tags, refuse, require, within_quota
from .dhcp_options import default_set_for_new_vpc

# What a learner reads when AWS refuses (ids for the engine catalog, English here).
text("word.and_more", " and more")
text(
    "error.vpc.associate_vpc_cidr_block.InvalidVpc.Range",
    "{block} overlaps the VPC's block {existing}.",
)
text(
    "error.vpc.create_vpc.InvalidParameterValue",
    "Instance tenancy must be 'default' or 'dedicated'.",
)
text(
    "error.vpc.delete_vpc.DependencyViolation",
    "The VPC {vpc_id} still has {items}{value}; delete or detach them first.",
)
text(
    "error.vpc.modify_vpc_attribute.InvalidParameterValue",
    "DNS hostnames need DNS resolution: enable DNS support first.",
)
text("error.vpc.rename.InvalidParameterValue", "A name is at most 256 characters.")


def create_vpc(
    topology: Topology,
    *,
    cidr_block: str,
    tags: Any = None,
    instance_tenancy: str = "default",
    is_default: bool = False,
) -> Vpc:
    """A new VPC with its main route table, default NACL and default SG (VPC UG: create-vpc)."""
    block = parse_cidr(cidr_block, what="VPC CIDR block")
    check_block_size(block, code="InvalidVpc.Range", what="VPC CIDR block")
    within_quota("vpcs", len(topology.vpcs) + 1)
    require(
        instance_tenancy in ("default", "dedicated"),
        "InvalidParameterValue",
        message("error.vpc.create_vpc.InvalidParameterValue"),
    )
    ids = topology.ids
    vpc = Vpc(
        vpc_id=ids.new("vpc"),
        cidr_blocks=(block,),
        cidr_association_ids=(ids.new("vpc-cidr-association"),),
        is_default=is_default,
        enable_dns_support=True,
        enable_dns_hostnames=is_default,
        instance_tenancy=instance_tenancy,
        dhcp_options_id=default_set_for_new_vpc(topology),
        tags=parse_tags(tags),
    )
    topology.put(vpc)
    topology.put(new_route_table(vpc, ids, main=True))
    topology.put(new_network_acl(vpc, ids, default=True))
    topology.put(default_security_group(vpc, ids))
    return vpc


def delete_vpc(topology: Topology, *, vpc_id: str) -> None:
    """Refused while anything but its implicit resources is left in it (DependencyViolation)."""
    vpc = topology.get("vpc", vpc_id)
    blockers: list[str] = [s.subnet_id for s in topology.subnets_of(vpc_id)]
    igw = topology.internet_gateway_of(vpc_id)
    if igw is not None:
        blockers.append(igw.internet_gateway_id)
    blockers += [
        r.route_table_id
        for r in topology.route_tables.values()
        if r.vpc_id == vpc_id and not r.is_main
    ]
    blockers += [
        a.network_acl_id
        for a in topology.network_acls.values()
        if a.vpc_id == vpc_id and not a.is_default
    ]
    blockers += [
        g.group_id
        for g in topology.security_groups.values()
        if g.vpc_id == vpc_id and not g.is_default
    ]
    blockers += [
        p.vpc_peering_connection_id
        for p in topology.peerings.values()
        if vpc_id in (p.requester_vpc_id, p.accepter_vpc_id)
        and p.status in ("active", "pending-acceptance")
    ]
    if blockers:
        raise refuse(
            "DependencyViolation",
            message(
                "error.vpc.delete_vpc.DependencyViolation",
                vpc_id=vpc.vpc_id,
                items=", ".join(blockers[:5]),
                value=message("word.and_more") if len(blockers) > 5 else "",
            ),
        )
    for kind in ("route-table", "network-acl", "security-group"):
        for resource in list(topology.resources[kind].values()):
            if resource.vpc_id == vpc_id:
                topology.remove(
                    kind,
                    getattr(
                        resource,
                        {
                            "route-table": "route_table_id",
                            "network-acl": "network_acl_id",
                            "security-group": "group_id",
                        }[kind],
                    ),
                )
    topology.remove("vpc", vpc_id)


def associate_vpc_cidr_block(topology: Topology, *, vpc_id: str, cidr_block: str) -> Vpc:
    """A secondary block; every route table of the VPC gets its ``local`` route."""
    vpc: Vpc = topology.get("vpc", vpc_id)
    block = parse_cidr(cidr_block, what="VPC CIDR block")
    check_block_size(block, code="InvalidVpc.Range", what="VPC CIDR block")
    within_quota("cidr_blocks_per_vpc", len(vpc.cidr_blocks) + 1)
    for existing in vpc.cidr_blocks:
        require(
            not existing.overlaps(block),
            "InvalidVpc.Range",
            message(
                "error.vpc.associate_vpc_cidr_block.InvalidVpc.Range",
                block=block,
                existing=existing,
            ),
        )
    updated = dataclasses.replace(
        vpc,
        cidr_blocks=(*vpc.cidr_blocks, block),
        cidr_association_ids=(*vpc.cidr_association_ids, topology.ids.new("vpc-cidr-association")),
    )
    topology.put(updated)
    for rtb in [r for r in topology.route_tables.values() if r.vpc_id == vpc_id]:
        local = Route(
            destination=block, target_type="local", target_id="local", origin="CreateRouteTable"
        )
        topology.put(dataclasses.replace(rtb, routes=(*rtb.routes, local)))
    return updated


def modify_vpc_attribute(
    topology: Topology,
    *,
    vpc_id: str,
    enable_dns_support: bool | None = None,
    enable_dns_hostnames: bool | None = None,
) -> Vpc:
    """DNS hostnames need DNS support (VPC UG: vpc-dns)."""
    vpc: Vpc = topology.get("vpc", vpc_id)
    support = vpc.enable_dns_support if enable_dns_support is None else enable_dns_support
    hostnames = vpc.enable_dns_hostnames if enable_dns_hostnames is None else enable_dns_hostnames
    require(
        not hostnames or support,
        "InvalidParameterValue",
        message("error.vpc.modify_vpc_attribute.InvalidParameterValue"),
    )
    return topology.put(
        dataclasses.replace(
            vpc,
            enable_dns_support=support,  # type: ignore
            enable_dns_hostnames=hostnames,
        )
    )


def rename(topology: Topology, *, kind: str, resource_id: str, name: str) -> Any:
    """Set the ``Name`` tag of any resource, as the console's pencil does."""
    from ._rules import with_name

    resource = topology.get(kind, resource_id)
    require(
        len(name) <= 256, "InvalidParameterValue", message("error.vpc.rename.InvalidParameterValue")
    )
    return topology.put(dataclasses.replace(resource, tags=with_name(resource.tags, name)))
