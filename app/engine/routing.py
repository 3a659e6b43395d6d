"""Route tables: route state and longest prefix match, with the evidence of the decision."""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address

from .model import MODELLED_TARGETS, Route, RouteTable
from .topology import Topology


def route_state(topology: Topology, route: Route) -> str:
    """``active`` or ``blackhole``: a route whose target is gone or detached is a blackhole.

    Source: EC2 API reference, Route.State ("the route's target isn't available").
    Targets the lab does not model keep the state they were imported with.
    """
    kind, target = route.target_type, route.target_id
    if kind not in MODELLED_TARGETS:
        return route.imported_state or "active"
    if kind == "local":
        return "active"
    if kind == "internet-gateway":
        igw = topology.internet_gateways.get(target)
        return "active" if igw is not None and igw.vpc_id is not None else "blackhole"
    if kind == "nat-gateway":
        nat = topology.nat_gateways.get(target)
        return (
            "active" if nat is not None and nat.state in ("available", "pending") else "blackhole"
        )
    if kind == "network-interface":
        eni = topology.network_interfaces.get(target)
        if eni is None or eni.attachment is None:
            return "blackhole"
        instance = topology.instances.get(eni.attachment.instance_id or "")
        return "blackhole" if instance is not None and instance.state == "terminated" else "active"
    if kind == "instance":
        instance = topology.instances.get(target)
        return "active" if instance is not None and instance.state != "terminated" else "blackhole"
    if kind == "vpc-peering-connection":
        pcx = topology.peerings.get(target)
        return (
            "active"
            if pcx is not None and pcx.status in ("active", "pending-acceptance")
            else "blackhole"
        )
    return "active"


@dataclass(frozen=True)
class RouteDecision:
    """The route chosen for a destination (or none), and its state: the evidence of a lookup."""

    route_table: RouteTable
    destination: IPv4Address
    route: Route | None
    state: str | None

    @property
    def found(self) -> bool:
        return self.route is not None


def longest_prefix_match(
    topology: Topology, route_table: RouteTable, destination: IPv4Address
) -> RouteDecision:
    """The most specific route covering ``destination`` (VPC UG: route-tables-priority).

    >>> # a /24 to a NAT gateway beats 0.0.0.0/0 to the IGW for 10.1.2.3
    """
    best: Route | None = None
    for route in route_table.routes:
        if destination in route.destination and (
            best is None or route.destination.prefixlen > best.destination.prefixlen
        ):
            best = route
    return RouteDecision(
        route_table=route_table,
        destination=destination,
        route=best,
        state=route_state(topology, best) if best is not None else None,
    )


def describe_target(route: Route) -> str:
    return "local" if route.target_type == "local" else route.target_id
