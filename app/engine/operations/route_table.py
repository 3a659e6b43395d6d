"""Route table operations: tables, routes with AWS's target rules, associations, the main table."""

from __future__ import annotations

import dataclasses
from ipaddress import IPv4Network
from typing import Any

from ..addressing import parse_cidr
from ..defaults import new_route_table
from ..messages import message, text
from ..model import Route, RouteTable, RouteTableAssociation
from ..topology import Topology
from ._rules import parse_tags, refuse, require, within_quota

# What a learner reads when AWS refuses (ids for the engine catalog, English here).
text(
    "error.route_table._association.InvalidAssociationID.NotFound",
    "The route table association '{association_id}' does not exist.",
)
text(
    "error.route_table._check_destination.InvalidParameterValue",
    "Routes to {METADATA_RANGE} (the instance metadata range) cannot be added.",
)
text(
    "error.route_table._check_destination.InvalidParameterValue.2",
    "{destination} is inside the VPC's local route {block}; a more specific route is only "
    "allowed for a whole subnet and to a NAT gateway or network interface.",
)
text(
    "error.route_table._existing.InvalidRoute.NotFound",
    "{route_table_id} has no route to {destination}.",
)
text(
    "error.route_table._target.Gateway.NotAttached",
    "The internet gateway {target_id} is not attached to {vpc_id}; attach it first.",
)
text(
    "error.route_table._target.InvalidParameterValue",
    "{target_id} is not an internet gateway; the lab models igw- gateways.",
)
text(
    "error.route_table._target.InvalidParameterValue.2",
    "The peering connection {target_id} does not involve {vpc_id}.",
)
text(
    "error.route_table._target.InvalidParameterValue.3",
    "{target_id} is in {vpc_id}, not in the route table's VPC {vpc_id2}.",
)
text(
    "error.route_table._target.error",
    "A route needs exactly one target: an internet gateway, NAT gateway, network interface, "
    "instance or peering connection.",
)
text(
    "error.route_table.associate_route_table.InvalidParameterValue",
    "{subnet_id} is in {vpc_id}, but {route_table_id} belongs to {vpc_id2}.",
)
text(
    "error.route_table.associate_route_table.Resource.AlreadyAssociated",
    "{subnet_id} is already associated with {route_table_id}; replace that association instead.",
)
text(
    "error.route_table.create_route.RouteAlreadyExists",
    "{route_table_id} already has a route to {destination}; replace it instead.",
)
text(
    "error.route_table.delete_route.InvalidParameterValue",
    "The local route {destination} cannot be deleted: it lets the subnets of the VPC reach "
    "each other.",
)
text(
    "error.route_table.delete_route_table.DependencyViolation",
    "{route_table_id} is the main route table of {vpc_id}; make another table main first.",
)
text(
    "error.route_table.delete_route_table.DependencyViolation.2",
    "{route_table_id} is still associated with {subnet_ids}; disassociate it first.",
)
text(
    "error.route_table.disassociate_route_table.InvalidAssociationID.NotFound",
    "The association '{association_id}' is not an association of route table '{route_table_id}'.",
)
text(
    "error.route_table.disassociate_route_table.InvalidParameterValue",
    "The main route table's association cannot be removed; make another table main.",
)
text(
    "error.route_table.replace_route.InvalidParameterValue",
    "The local route cannot be replaced in the lab.",
)
text(
    "error.route_table.replace_route_table_association.InvalidParameterValue",
    "{route_table_id} belongs to another VPC.",
)

TARGET_PARAMETERS = {
    "gateway_id": "internet-gateway",
    "nat_gateway_id": "nat-gateway",
    "network_interface_id": "network-interface",
    "instance_id": "instance",
    "vpc_peering_connection_id": "vpc-peering-connection",
}
METADATA_RANGE = IPv4Network("169.254.168.0/22")


def create_route_table(topology: Topology, *, vpc_id: str, tags: Any = None) -> RouteTable:
    vpc = topology.get("vpc", vpc_id)
    count = sum(1 for r in topology.route_tables.values() if r.vpc_id == vpc_id)
    within_quota("route_tables_per_vpc", count + 1)
    rtb = dataclasses.replace(new_route_table(vpc, topology.ids), tags=parse_tags(tags))
    return topology.put(rtb)  # type: ignore[no-any-return]


def delete_route_table(topology: Topology, *, route_table_id: str) -> None:
    rtb: RouteTable = topology.get("route-table", route_table_id)
    if rtb.is_main:
        raise refuse(
            "DependencyViolation",
            message(
                "error.route_table.delete_route_table.DependencyViolation",
                route_table_id=route_table_id,
                vpc_id=rtb.vpc_id,
            ),
        )
    if rtb.subnet_ids:
        raise refuse(
            "DependencyViolation",
            message(
                "error.route_table.delete_route_table.DependencyViolation.2",
                route_table_id=route_table_id,
                subnet_ids=", ".join(rtb.subnet_ids),
            ),
        )
    topology.remove("route-table", route_table_id)


def _target(topology: Topology, rtb: RouteTable, targets: dict[str, str | None]) -> tuple[str, str]:
    given = [(k, v) for k, v in targets.items() if v]
    require(
        len(given) == 1,
        "InvalidParameterValue" if given else "MissingParameter",
        message("error.route_table._target.error"),
    )
    parameter, target_id = given[0]
    assert target_id is not None
    kind = TARGET_PARAMETERS[parameter]
    if parameter == "gateway_id" and not target_id.startswith("igw-"):
        raise refuse(
            "InvalidParameterValue",
            message("error.route_table._target.InvalidParameterValue", target_id=target_id),
        )
    resource = topology.get(kind, target_id)
    if kind == "internet-gateway":
        require(
            resource.vpc_id == rtb.vpc_id,
            "Gateway.NotAttached",
            message(
                "error.route_table._target.Gateway.NotAttached",
                target_id=target_id,
                vpc_id=rtb.vpc_id,
            ),
        )
    elif kind == "vpc-peering-connection":
        require(
            resource.peer_of(rtb.vpc_id) is not None,
            "InvalidParameterValue",
            message(
                "error.route_table._target.InvalidParameterValue.2",
                target_id=target_id,
                vpc_id=rtb.vpc_id,
            ),
        )
    else:
        require(
            resource.vpc_id == rtb.vpc_id,
            "InvalidParameterValue",
            message(
                "error.route_table._target.InvalidParameterValue.3",
                target_id=target_id,
                vpc_id=resource.vpc_id,
                vpc_id2=rtb.vpc_id,
            ),
        )
    return kind, target_id


def _check_destination(
    topology: Topology, rtb: RouteTable, destination: IPv4Network, kind: str
) -> None:
    require(
        not destination.subnet_of(METADATA_RANGE),
        "InvalidParameterValue",
        message(
            "error.route_table._check_destination.InvalidParameterValue",
            METADATA_RANGE=METADATA_RANGE,
        ),
    )
    vpc = topology.vpcs[rtb.vpc_id]
    for block in vpc.cidr_blocks:
        if destination.subnet_of(block) and destination != block:
            # More specific than local: only a whole subnet, only to a NAT gateway or ENI
            # (VPC UG: route-tables, "routes for inspection").
            whole_subnet = any(s.cidr_block == destination for s in topology.subnets_of(vpc.vpc_id))
            require(
                whole_subnet and kind in ("nat-gateway", "network-interface"),
                "InvalidParameterValue",
                message(
                    "error.route_table._check_destination.InvalidParameterValue.2",
                    destination=destination,
                    block=block,
                ),
            )


def create_route(
    topology: Topology, *, route_table_id: str, destination_cidr_block: str, **targets: str | None
) -> Route:
    """A route to one target; the same destination twice is ``RouteAlreadyExists``."""
    rtb: RouteTable = topology.get("route-table", route_table_id)
    destination = parse_cidr(
        destination_cidr_block, code="InvalidParameterValue", what="destination CIDR block"
    )
    kind, target_id = _target(topology, rtb, targets)
    if any(r.destination == destination for r in rtb.routes):
        raise refuse(
            "RouteAlreadyExists",
            message(
                "error.route_table.create_route.RouteAlreadyExists",
                route_table_id=route_table_id,
                destination=destination,
            ),
        )
    _check_destination(topology, rtb, destination, kind)
    within_quota("routes_per_table", len(rtb.routes) + 1)
    route = Route(destination=destination, target_type=kind, target_id=target_id)
    topology.put(dataclasses.replace(rtb, routes=(*rtb.routes, route)))
    return route


def _existing(rtb: RouteTable, destination_cidr_block: str) -> tuple[int, Route]:
    destination = parse_cidr(
        destination_cidr_block, code="InvalidParameterValue", what="destination CIDR block"
    )
    for i, route in enumerate(rtb.routes):
        if route.destination == destination:
            return i, route
    raise refuse(
        "InvalidRoute.NotFound",
        message(
            "error.route_table._existing.InvalidRoute.NotFound",
            route_table_id=rtb.route_table_id,
            destination=destination,
        ),
    )


def replace_route(
    topology: Topology, *, route_table_id: str, destination_cidr_block: str, **targets: str | None
) -> Route:
    rtb: RouteTable = topology.get("route-table", route_table_id)
    i, old = _existing(rtb, destination_cidr_block)
    require(
        old.target_type != "local",
        "InvalidParameterValue",
        message("error.route_table.replace_route.InvalidParameterValue"),
    )
    kind, target_id = _target(topology, rtb, targets)
    _check_destination(topology, rtb, old.destination, kind)
    route = Route(destination=old.destination, target_type=kind, target_id=target_id)
    routes = (*rtb.routes[:i], route, *rtb.routes[i + 1 :])
    topology.put(dataclasses.replace(rtb, routes=routes))
    return route


def delete_route(topology: Topology, *, route_table_id: str, destination_cidr_block: str) -> None:
    rtb: RouteTable = topology.get("route-table", route_table_id)
    i, old = _existing(rtb, destination_cidr_block)
    require(
        old.target_type != "local",
        "InvalidParameterValue",
        message(
            "error.route_table.delete_route.InvalidParameterValue", destination=old.destination
        ),
    )
    topology.put(dataclasses.replace(rtb, routes=rtb.routes[:i] + rtb.routes[i + 1 :]))


def associate_route_table(
    topology: Topology, *, route_table_id: str, subnet_id: str
) -> RouteTableAssociation:
    """An explicit association; a subnet has exactly one route table (VPC UG)."""
    rtb: RouteTable = topology.get("route-table", route_table_id)
    subnet = topology.get("subnet", subnet_id)
    require(
        subnet.vpc_id == rtb.vpc_id,
        "InvalidParameterValue",
        message(
            "error.route_table.associate_route_table.InvalidParameterValue",
            subnet_id=subnet_id,
            vpc_id=subnet.vpc_id,
            route_table_id=route_table_id,
            vpc_id2=rtb.vpc_id,
        ),
    )
    current = topology.explicit_route_table(subnet_id)
    if current is not None:
        raise refuse(
            "Resource.AlreadyAssociated",
            message(
                "error.route_table.associate_route_table.Resource.AlreadyAssociated",
                subnet_id=subnet_id,
                route_table_id=current.route_table_id,
            ),
        )
    association = RouteTableAssociation(topology.ids.new("route-table-association"), subnet_id)
    topology.put(dataclasses.replace(rtb, associations=(*rtb.associations, association)))
    return association


def _association(
    topology: Topology, association_id: str
) -> tuple[RouteTable, RouteTableAssociation]:
    for rtb in topology.route_tables.values():
        for association in rtb.associations:
            if association.association_id == association_id:
                return rtb, association
    raise refuse(
        "InvalidAssociationID.NotFound",
        message(
            "error.route_table._association.InvalidAssociationID.NotFound",
            association_id=association_id,
        ),
    )


def disassociate_route_table(
    topology: Topology, *, association_id: str, route_table_id: str | None = None
) -> None:
    """The subnet falls back to the VPC's main table. ``route_table_id``, when a face names the
    table too (the REST URL does; EC2's call does not), must be the association's table."""
    rtb, association = _association(topology, association_id)
    require(
        route_table_id is None or rtb.route_table_id == route_table_id,
        "InvalidAssociationID.NotFound",
        message(
            "error.route_table.disassociate_route_table.InvalidAssociationID.NotFound",
            association_id=association_id,
            route_table_id=route_table_id,
        ),
    )
    require(
        not association.main,
        "InvalidParameterValue",
        message("error.route_table.disassociate_route_table.InvalidParameterValue"),
    )
    topology.put(
        dataclasses.replace(
            rtb,
            associations=tuple(a for a in rtb.associations if a.association_id != association_id),
        )
    )


def replace_route_table_association(
    topology: Topology, *, association_id: str, route_table_id: str
) -> RouteTableAssociation:
    """Move an association (a subnet's, or the VPC's main marker) to another table."""
    old_rtb, association = _association(topology, association_id)
    new_rtb: RouteTable = topology.get("route-table", route_table_id)
    require(
        new_rtb.vpc_id == old_rtb.vpc_id,
        "InvalidParameterValue",
        message(
            "error.route_table.replace_route_table_association.InvalidParameterValue",
            route_table_id=route_table_id,
        ),
    )
    if new_rtb.route_table_id == old_rtb.route_table_id:
        return association
    moved = RouteTableAssociation(
        topology.ids.new("route-table-association"), association.subnet_id, association.main
    )
    topology.put(
        dataclasses.replace(
            old_rtb,
            associations=tuple(
                a for a in old_rtb.associations if a.association_id != association_id
            ),
        )
    )
    topology.put(dataclasses.replace(new_rtb, associations=(*new_rtb.associations, moved)))
    return moved


def set_main_route_table(topology: Topology, *, route_table_id: str) -> RouteTableAssociation:
    """Make a table the VPC's main one (ReplaceRouteTableAssociation on the main association)."""
    rtb: RouteTable = topology.get("route-table", route_table_id)
    main = topology.main_route_table(rtb.vpc_id)
    assert main is not None
    association = next(a for a in main.associations if a.main)
    return replace_route_table_association(
        topology, association_id=association.association_id, route_table_id=route_table_id
    )


def associate_subnet(
    topology: Topology, *, route_table_id: str, subnet_id: str
) -> RouteTableAssociation:
    """What the console's "Edit subnet associations" does: move the subnet to this table."""
    current = topology.explicit_route_table(subnet_id)
    if current is None:
        return associate_route_table(topology, route_table_id=route_table_id, subnet_id=subnet_id)
    association = next(a for a in current.associations if a.subnet_id == subnet_id)
    return replace_route_table_association(
        topology, association_id=association.association_id, route_table_id=route_table_id
    )
