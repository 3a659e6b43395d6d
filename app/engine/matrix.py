"""The reachability matrix: every instance to every instance, for one protocol and port.

Each pair is decided by the same evaluators the tracer uses, in the same order (security
groups out, NACL out, route, NACL in, security groups in, then the reply's NACLs and routes),
with decisions cached per component and address, so the cost of a pair is a few lookups.
Paths this fast way does not follow (a route to an appliance, a NAT gateway, a transit
gateway, a blackhole…) are decided by the tracer itself, so the matrix always equals the
single-path analysis; a test checks every pair of tiers S and M.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from ipaddress import IPv4Address
from typing import Any

from .addressing import is_private
from .decisions import Decisions
from .errors import AwsError
from .messages import message, text
from .model import NetworkInterface, Subnet
from .packet import ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, Header
from .request import DEFAULT_SOURCE_PORT
from .security_group import evaluate_security_groups
from .topology import Topology
from .tracer import analyze

# What a learner reads when AWS refuses (ids for the engine catalog, English here).
text(
    "error.matrix.matrix_sources.IncorrectInstanceState",
    "Instance {source} has no network interface (it is terminated).",
)

Grid = list[list[bool | None]]  # rows are sources, columns destinations; None on the diagonal


@dataclass
class Matrix:
    """Instances (rows: ``sources``, all of them unless some were chosen) to every instance
    (columns: ``instances``). With several ports, ``reachable`` is true where every port
    passes and ``by_port`` holds each port's own grid."""

    instances: list[str]
    reachable: Grid
    protocol: str
    port: int | None
    fallbacks: int
    by_port: dict[int, Grid] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)

    @property
    def ports(self) -> list[int]:
        return list(self.by_port)

    def ports_passing(self, row: int, column: int) -> list[int]:
        """The ports on which the pair is reachable."""
        return [port for port, grid in self.by_port.items() if grid[row][column]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "instances": self.instances,
            "sources": self.sources,
            "protocol": self.protocol,
            "port": self.port,
            "ports": self.ports,
            "reachable": self.reachable,
            "by_port": {str(port): grid for port, grid in self.by_port.items()},
        }


class _Pairs:
    """Pairs decided from parts shared by many pairs.

    A crossing from one subnet to an ENI splits into the *leg* (the owner of the destination
    address, the source subnet's NACL out, its route and what the route's target does with
    the packet: all functions of the source subnet and the destination ENI, not of which ENI
    of that subnet sends) and the destination subnet's NACL in (a function of that subnet and
    the source address). A group's decision is a function of the group and the peer address.
    Each part is decided once, by the tracer's evaluators, and a pair costs a few lookups.
    """

    def __init__(self, topology: Topology, protocol: str, port: int | None) -> None:
        self.t = topology
        self.protocol = protocol
        self.port = port
        self.d = Decisions(topology)
        self.fallbacks = 0
        self._legs: dict[tuple[str, str, bool], tuple[str, bool]] = {}
        self._nacl_in: dict[tuple[str, str, bool], bool] = {}
        self._group: dict[tuple[str, str, str, str], bool] = {}
        self._in_own_vpc: dict[str, bool] = {}

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

    def _groups(self, eni: NetworkInterface, other: NetworkInterface, direction: str) -> bool:
        """Does one of ``eni``'s groups allow the connection with ``other`` that way? Each
        group's decision is kept per peer (it looks at the peer's address only)."""
        for group_id in eni.groups:
            key = (group_id, direction, eni.vpc_id, other.network_interface_id)
            found = self._group.get(key)
            if found is None:
                if direction == "egress":
                    header = self.header(eni.primary_ip, other.primary_ip)
                else:
                    header = self.header(other.primary_ip, eni.primary_ip)
                found = self._group[key] = evaluate_security_groups(
                    self.t, (group_id,), header, direction, eni.vpc_id
                ).allowed
            if found:
                return True
        return False

    def _nacl(self, subnet: Subnet, header: Header, egress: bool) -> bool:
        acl = self.d.network_acl_for(subnet.subnet_id)
        return acl is None or self.d.nacl(acl, egress, header).allowed

    def _leg(
        self, here: NetworkInterface, there: NetworkInterface, reply: bool
    ) -> tuple[str, bool]:
        """From ``here``'s subnet towards ``there``: (what happens, does the NACL let it out).

        ``same`` (one subnet: no NACL, no route), ``cross`` or ``peered`` (on to ``there``'s
        subnet; ``peered`` also asks that the source be an address of its own VPC), ``blocked``,
        or ``unknown`` (not modelled here: ask the tracer). The tracer's order and rules.
        """
        key = (here.subnet_id, there.network_interface_id, reply)
        found = self._legs.get(key)
        if found is None:
            found = self._legs[key] = self._decide_leg(here, there, reply)
        return found

    def _decide_leg(
        self, here: NetworkInterface, there: NetworkInterface, reply: bool
    ) -> tuple[str, bool]:
        # The source address does not enter these decisions (NACL out and the route look at
        # the destination): any ENI of ``here``'s subnet would do.
        header = self.header(here.primary_ip, there.primary_ip, reply=reply)
        src_subnet = self.t.subnets[here.subnet_id]
        owner = self.t.eni_with_private_ip(here.vpc_id, header.destination_ip)
        if owner is not None and owner.subnet_id == here.subnet_id:
            return ("same" if owner is there else "unknown"), True  # no NACL, no route
        out_ok = self._nacl(src_subnet, header, True)
        rtb = self.d.route_table_for(here.subnet_id)
        if rtb is None:
            return "unknown", out_ok
        decision = self.d.route(rtb, header.destination_ip)
        route = decision.route
        if route is None or decision.state != "active":
            return "unknown", out_ok
        if route.target_type == "local":
            return ("cross" if owner is there else "unknown"), out_ok
        if route.target_type == "vpc-peering-connection":
            pcx = self.t.peerings.get(route.target_id)
            peer = self.t.vpcs.get(there.vpc_id)
            if (
                pcx is None
                or pcx.status != "active"
                or peer is None
                or pcx.peer_of(here.vpc_id) != there.vpc_id
                or not peer.contains(header.destination_ip)
                or self.t.eni_with_private_ip(there.vpc_id, header.destination_ip) is not there
            ):
                return "unknown", out_ok
            return "peered", out_ok
        if route.target_type == "internet-gateway" and is_private(header.destination_ip):
            # The internet gateway never sends to a private address; the tracer stops there
            # (IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS).
            return "blocked", out_ok
        if route.target_type == "nat-gateway" and is_private(header.destination_ip):
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
                return "blocked", out_ok
        return "unknown", out_ok

    def _crossing(
        self, here: NetworkInterface, there: NetworkInterface, reply: bool
    ) -> bool | None:
        """Can the packet cross from ``here`` to ``there``, or None (ask the tracer)?
        NACL out, the route, NACL in — as the tracer does."""
        kind, out_ok = self._leg(here, there, reply)
        if kind == "same":
            return True
        if kind == "blocked":
            return False
        if kind == "unknown":
            return None
        if kind == "peered" and not self._source_in_own_vpc(here):
            return None
        return out_ok and self._nacl_in_of(there, here, reply)

    def _nacl_in_of(self, there: NetworkInterface, here: NetworkInterface, reply: bool) -> bool:
        """``there``'s subnet's NACL for the packet from ``here`` (it looks at the source)."""
        key = (there.subnet_id, here.network_interface_id, reply)
        found = self._nacl_in.get(key)
        if found is None:
            header = self.header(here.primary_ip, there.primary_ip, reply=reply)
            found = self._nacl_in[key] = self._nacl(self.t.subnets[there.subnet_id], header, False)
        return found

    def _source_in_own_vpc(self, eni: NetworkInterface) -> bool:
        found = self._in_own_vpc.get(eni.network_interface_id)
        if found is None:
            found = self._in_own_vpc[eni.network_interface_id] = self.t.vpcs[eni.vpc_id].contains(
                eni.primary_ip
            )
        return found

    def pair(
        self, src_id: str, dst_id: str, src_eni: NetworkInterface, dst_eni: NetworkInterface
    ) -> bool:
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
        there = self._crossing(src, dst, False)
        if there is None:
            return None
        back = self._crossing(dst, src, True)
        if back is None:
            return None
        return (
            self.t.instances[src_id].state == "running"
            and self.t.instances[dst_id].state == "running"
            and self._groups(src, dst, "egress")
            and there
            and self._groups(dst, src, "ingress")
            and back
        )


def matrix_instances(topology: Topology) -> list[str]:
    """The instances a matrix is about: every one with an interface (terminated ones have
    none), running or stopped, sorted by id."""
    return sorted(
        i.instance_id
        for i in topology.instances.values()
        if topology.primary_eni(i.instance_id) is not None
    )


def matrix_sources(topology: Topology, sources: Sequence[str]) -> list[str]:
    """The chosen rows, each an instance with an interface, or the AWS error saying why not."""
    rows = list(dict.fromkeys(sources))
    for source in rows:
        topology.get("instance", source)  # InvalidInstanceID.NotFound
        if topology.primary_eni(source) is None:
            raise AwsError(
                "IncorrectInstanceState",
                message("error.matrix.matrix_sources.IncorrectInstanceState", source=source),
            )
    return rows


def reachability_matrix(
    topology: Topology,
    protocol: str = "tcp",
    port: int | Sequence[int] | None = 22,
    progress: Callable[[int, int], None] | None = None,
    sources: Sequence[str] | None = None,
) -> Matrix:
    """Every instance to every other, for one port or several (``port=[22, 443]``; ICMP has
    none); only the rows of ``sources`` when given (one row of tier L is 4,500 pairs, the whole
    matrix 20 million)."""
    instances = matrix_instances(topology)
    enis = {i: topology.primary_eni(i) for i in instances}
    rows_of = instances if sources is None else matrix_sources(topology, sources)
    ports: list[int | None]
    if protocol == "icmp" or port is None:
        ports = [None]
    elif isinstance(port, int):
        ports = [port]
    else:
        ports = list(dict.fromkeys(port)) or [22]
    grids: list[Grid] = []
    fallbacks = 0
    total = len(rows_of) * len(ports)
    for step, chosen in enumerate(ports):
        pairs = _Pairs(topology, protocol, chosen)
        rows: Grid = []
        for n, src in enumerate(rows_of):
            if progress is not None and n % 20 == 0:
                progress(step * len(rows_of) + n, total)
            src_eni = enis[src]
            assert src_eni is not None
            rows.append(
                [
                    None if src == dst else pairs.pair(src, dst, src_eni, enis[dst])  # type: ignore[arg-type]
                    for dst in instances
                ]
            )
        grids.append(rows)
        fallbacks += pairs.fallbacks
    every = [
        [None if cells[0] is None else all(cells) for cells in zip(*rows, strict=True)]
        for rows in zip(*grids, strict=True)
    ]
    by_port = {p: grid for p, grid in zip(ports, grids, strict=True) if p is not None}
    return Matrix(instances, every, protocol, ports[0], fallbacks, by_port, rows_of)
