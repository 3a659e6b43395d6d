"""Route tables: route state and longest prefix match, with the evidence of the decision."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

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


# Past this many routes a table is looked up through an index (one dict per prefix length)
# instead of a scan: a quota-max table has 1,000 routes.
INDEXED_ROUTES = 16
_INDEXES: OrderedDict[int, tuple[tuple[Route, ...], list[tuple[int, dict[int, Route]]]]] = (
    OrderedDict()
)
_INDEX_LOCK = threading.Lock()


def _index(routes: tuple[Route, ...]) -> list[tuple[int, dict[int, Route]]]:
    """(netmask, {network address: route}) per prefix length, longest first; the first route
    of a destination is kept, as the scan keeps it. Memoized per routes tuple: the entry holds
    the tuple, so its id cannot be reused while cached."""
    with _INDEX_LOCK:
        found = _INDEXES.get(id(routes))
        if found is not None and found[0] is routes:
            _INDEXES.move_to_end(id(routes))
            return found[1]
    by_length: dict[int, dict[int, Route]] = {}
    for route in routes:
        network = route.destination
        by_length.setdefault(network.prefixlen, {}).setdefault(int(network.network_address), route)
    index = [
        (int(IPv4Network(f"0.0.0.0/{length}").netmask), by_length[length])
        for length in sorted(by_length, reverse=True)
    ]
    with _INDEX_LOCK:
        _INDEXES[id(routes)] = (routes, index)
        while len(_INDEXES) > 4096:
            _INDEXES.popitem(last=False)
    return index


def _best_route(routes: tuple[Route, ...], destination: IPv4Address) -> Route | None:
    if len(routes) > INDEXED_ROUTES:
        address = int(destination)
        for mask, networks in _index(routes):
            route = networks.get(address & mask)
            if route is not None:
                return route
        return None
    best: Route | None = None
    for route in routes:
        if destination in route.destination and (
            best is None or route.destination.prefixlen > best.destination.prefixlen
        ):
            best = route
    return best


def longest_prefix_match(
    topology: Topology, route_table: RouteTable, destination: IPv4Address
) -> RouteDecision:
    """The most specific route covering ``destination`` (VPC UG: route-tables-priority).

    >>> # a /24 to a NAT gateway beats 0.0.0.0/0 to the IGW for 10.1.2.3
    """
    best = _best_route(route_table.routes, destination)
    return RouteDecision(
        route_table=route_table,
        destination=destination,
        route=best,
        state=route_state(topology, best) if best is not None else None,
    )


def describe_target(route: Route) -> str:
    return "local" if route.target_type == "local" else route.target_id
