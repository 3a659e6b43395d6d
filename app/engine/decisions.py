"""Component decisions cached by component id and the header fields each one looks at.

The reachability matrix asks the same NACL or route table the same question for many pairs
(subnets share tables); the answers come from the tracer's own evaluators, computed once.
"""

from __future__ import annotations

from ipaddress import IPv4Address
from typing import Any

from .model import NetworkAcl, RouteTable
from .nacl import NaclDecision, evaluate_nacl
from .packet import Header
from .routing import RouteDecision, longest_prefix_match
from .topology import Topology


def _traffic(header: Header) -> tuple[Any, ...]:
    return (header.protocol, header.destination_port, header.icmp_type, header.icmp_code)


class Decisions:
    """``evaluate_nacl`` and ``longest_prefix_match``, cached."""

    def __init__(self, topology: Topology) -> None:
        self.t = topology
        self._nacl: dict[tuple[Any, ...], NaclDecision] = {}
        self._route: dict[tuple[str, int], RouteDecision] = {}
        self._acl_of: dict[str, NetworkAcl | None] = {}
        self._table_of: dict[str, RouteTable | None] = {}

    def network_acl_for(self, subnet_id: str) -> NetworkAcl | None:
        if subnet_id not in self._acl_of:
            self._acl_of[subnet_id] = self.t.network_acl_for(subnet_id)
        return self._acl_of[subnet_id]

    def route_table_for(self, subnet_id: str) -> RouteTable | None:
        if subnet_id not in self._table_of:
            self._table_of[subnet_id] = self.t.route_table_for(subnet_id)
        return self._table_of[subnet_id]

    def nacl(self, acl: NetworkAcl, egress: bool, header: Header) -> NaclDecision:
        peer = header.destination_ip if egress else header.source_ip
        key = (acl.network_acl_id, egress, int(peer), *_traffic(header))
        found = self._nacl.get(key)
        if found is None:
            found = self._nacl[key] = evaluate_nacl(acl, header, egress=egress)
        return found

    def route(self, rtb: RouteTable, destination: IPv4Address) -> RouteDecision:
        key = (rtb.route_table_id, int(destination))
        found = self._route.get(key)
        if found is None:
            found = self._route[key] = longest_prefix_match(self.t, rtb, destination)
        return found
