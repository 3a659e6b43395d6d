"""The reachability matrix: every instance to every instance, for one protocol and port.

Each pair is decided by the same evaluators the tracer uses, in the same order (security
groups out, NACL out, route, NACL in, security groups in, then the reply's NACLs and routes),
with decisions cached per component and address, so the cost of a pair is a few lookups.
Paths this fast way does not follow (a route to an appliance, a NAT gateway, a transit
gateway, a blackhole…) are decided by the tracer itself, so the matrix always equals the
single-path analysis; a test checks every pair of tiers S and M.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import Any

from .addressing import is_private
from .decisions import Decisions
from .model import NetworkInterface, Subnet
from .packet import ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, Header
from .request import DEFAULT_SOURCE_PORT
from .topology import Topology
from .tracer import analyze


@dataclass
class Matrix:
    instances: list[str]
    reachable: list[list[bool | None]]  # None on the diagonal
    protocol: str
    port: int | None
    fallbacks: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "instances": self.instances,
            "protocol": self.protocol,
            "port": self.port,
            "reachable": self.reachable,
        }


class _Pairs:
    def __init__(self, topology: Topology, protocol: str, port: int | None) -> None:
        self.t = topology
        self.protocol = protocol
        self.port = port
        self.d = Decisions(topology)
        self.fallbacks = 0

    def header(self, src: IPv4Address, dst: IPv4Address, *, reply: bool = False) -> Header:
        """The request (or, with ``reply``, its answer: as ``Header.reply`` makes it)."""
        if self.protocol == "icmp":
            return Header(
                src,
                dst,
                "icmp",
                icmp_type=ICMP_ECHO_REPLY if reply else ICMP_ECHO_REQUEST,
                icmp_code=0,
            )
        if reply:
            return Header(src, dst, self.protocol, self.port, DEFAULT_SOURCE_PORT)
        return Header(src, dst, self.protocol, DEFAULT_SOURCE_PORT, self.port)

    def _groups(self, eni: NetworkInterface, header: Header, direction: str) -> bool:
        return self.d.first_group(eni.groups, direction, header, eni.vpc_id) is not None

    def _nacl(self, subnet: Subnet, header: Header, egress: bool) -> bool:
        acl = self.d.network_acl_for(subnet.subnet_id)
        return acl is None or self.d.nacl(acl, egress, header).allowed

    def _crossing(
        self, here: NetworkInterface, there: NetworkInterface, header: Header
    ) -> bool | None:
        """Can ``header`` cross from ``here``'s subnet to ``there``'s, or None (not modelled
        here: ask the tracer)? NACL out, the route, NACL in — as the tracer does."""
        src_subnet = self.t.subnets[here.subnet_id]
        dst_subnet = self.t.subnets[there.subnet_id]
        owner = self.t.eni_with_private_ip(here.vpc_id, header.destination_ip)
        if owner is not None and owner.subnet_id == here.subnet_id:
            return owner is there or None  # inside one subnet: no NACL, no route
        out_ok = self._nacl(src_subnet, header, True)
        rtb = self.d.route_table_for(here.subnet_id)
        if rtb is None:
            return None
        decision = self.d.route(rtb, header.destination_ip)
        route = decision.route
        if route is None or decision.state != "active":
            return None
        if route.target_type == "local":
            if owner is not there:
                return None
        elif route.target_type == "vpc-peering-connection":
            pcx = self.t.peerings.get(route.target_id)
            local, peer = self.t.vpcs[here.vpc_id], self.t.vpcs.get(there.vpc_id)
            if (
                pcx is None
                or pcx.status != "active"
                or peer is None
                or pcx.peer_of(here.vpc_id) != there.vpc_id
                or not peer.contains(header.destination_ip)
                or not local.contains(header.source_ip)
                or self.t.eni_with_private_ip(there.vpc_id, header.destination_ip) is not there
            ):
                return None
        elif route.target_type == "internet-gateway" and is_private(header.destination_ip):
            # The internet gateway never sends to a private address; the tracer stops there
            # (IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS).
            return False
        elif route.target_type == "nat-gateway" and is_private(header.destination_ip):
            # Through a NAT gateway, the packet goes on from the NAT's subnet: if that table
            # has no usable route, or sends it to the internet gateway, the path ends there.
            nat = self.t.nat_gateways[route.target_id]
            nat_rtb = self.d.route_table_for(nat.subnet_id)
            onward = self.d.route(nat_rtb, header.destination_ip) if nat_rtb else None
            if (
                onward is None
                or onward.route is None
                or onward.state != "active"
                or onward.route.target_type == "internet-gateway"
            ):
                return False
            return None
        else:
            return None
        return out_ok and self._nacl(dst_subnet, header, False)

    def pair(self, src_id: str, dst_id: str) -> bool:
        src_eni = self.t.primary_eni(src_id)
        dst_eni = self.t.primary_eni(dst_id)
        assert src_eni is not None and dst_eni is not None
        fast = self._fast(src_id, dst_id, src_eni, dst_eni)
        if fast is not None:
            return fast
        self.fallbacks += 1
        request: dict[str, Any] = {
            "source": src_id,
            "destination": dst_id,
            "protocol": self.protocol,
        }
        if self.port is not None:
            request["destination_port"] = self.port
        return analyze(self.t, request).reachable

    def _fast(
        self, src_id: str, dst_id: str, src: NetworkInterface, dst: NetworkInterface
    ) -> bool | None:
        if src.network_interface_id == dst.network_interface_id:
            return None
        running = (
            self.t.instances[src_id].state == "running"
            and self.t.instances[dst_id].state == "running"
        )
        header = self.header(src.primary_ip, dst.primary_ip)
        there = self._crossing(src, dst, header)
        if there is None:
            return None
        reply = self.header(dst.primary_ip, src.primary_ip, reply=True)
        back = self._crossing(dst, src, reply)
        if back is None:
            return None
        return (
            running
            and self._groups(src, header, "egress")
            and there
            and self._groups(dst, header, "ingress")
            and back
        )


def reachability_matrix(
    topology: Topology,
    protocol: str = "tcp",
    port: int | None = 22,
    progress: Callable[[int, int], None] | None = None,
) -> Matrix:
    """Every running-or-stopped instance (terminated ones have no interface) to every other."""
    instances = sorted(
        i.instance_id
        for i in topology.instances.values()
        if topology.primary_eni(i.instance_id) is not None
    )
    pairs = _Pairs(topology, protocol, port)
    rows: list[list[bool | None]] = []
    for n, src in enumerate(instances):
        if progress is not None and n % 20 == 0:
            progress(n, len(instances))
        rows.append([None if src == dst else pairs.pair(src, dst) for dst in instances])
    return Matrix(instances, rows, protocol, port, pairs.fallbacks)
