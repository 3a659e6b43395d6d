"""The exposure report: every ENI reachable from the internet, on which protocols, ports and
from which sources, with the chain that makes it so — exhaustively, not a sample.

Technique: the header space (protocol × destination port × internet source address) is split
on the boundaries of every rule and route that can decide it (the ENI's security groups, its
subnet's NACL and route table), so each class is decided once, on a representative header, by
the same evaluators the tracer uses (``evaluate_nacl``, ``evaluate_security_groups``,
``longest_prefix_match``). Decisions are cached per component, so ENIs that share a NACL,
groups or route table cost almost nothing. A test checks the report against the single-path
analysis (``tracer.analyze``) for every ENI and class of tiers S and M, and a random sample of L.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network, summarize_address_range
from typing import Any

from .addressing import RFC1918, SHARED_ADDRESS_SPACE
from .decisions import Decisions
from .labels import nacl_entry_label, sg_rule_label
from .model import NetworkInterface
from .packet import ICMP_ECHO_REQUEST, Header
from .request import DEFAULT_SOURCE_PORT
from .topology import Topology

ALL = (0, 2**32 - 1)
PRIVATE_RANGES = [
    (int(n.network_address), int(n.broadcast_address)) for n in (*RFC1918, SHARED_ADDRESS_SPACE)
]


@dataclass
class Exposure:
    """One protocol and port range on which an ENI answers the internet, and from where."""

    protocol: str
    port_range: tuple[int, int] | None
    sources: list[str]
    chain: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "protocol": self.protocol,
            "port_range": list(self.port_range) if self.port_range else None,
            "sources": self.sources,
            "chain": self.chain,
        }


@dataclass
class ExposedInterface:
    network_interface_id: str
    instance_id: str | None
    private_ip: str
    public_ip: str
    subnet_id: str
    exposures: list[Exposure] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "network_interface_id": self.network_interface_id,
            "instance_id": self.instance_id,
            "private_ip": self.private_ip,
            "public_ip": self.public_ip,
            "subnet_id": self.subnet_id,
            "exposures": [e.to_dict() for e in self.exposures],
        }


def _split(points: set[int], low: int, high: int) -> list[tuple[int, int]]:
    """Intervals of [low, high] cut at every point (a point starts a new interval)."""
    cuts = sorted(p for p in points if low < p <= high)
    intervals, start = [], low
    for cut in cuts:
        intervals.append((start, cut - 1))
        start = cut
    intervals.append((start, high))
    return intervals


def _cidr_cuts(networks: list[IPv4Network]) -> set[int]:
    points: set[int] = set()
    for network in networks:
        points.add(int(network.network_address))
        points.add(int(network.broadcast_address) + 1)
    for low, high in PRIVATE_RANGES:
        points.update((low, high + 1))
    return points


def _public(interval: tuple[int, int]) -> bool:
    return not any(low <= interval[0] and interval[1] <= high for low, high in PRIVATE_RANGES)


def header_classes(
    topology: Topology, eni: NetworkInterface
) -> list[tuple[str, tuple[int, int] | None, tuple[int, int]]]:
    """Every (protocol, port class, source class) that can be decided differently for ``eni``.

    Sources are internet addresses only: the internet gateway drops private sources.
    """
    acl = topology.network_acl_for(eni.subnet_id)
    rtb = topology.route_table_for(eni.subnet_id)
    groups = [topology.security_groups[g] for g in eni.groups if g in topology.security_groups]
    networks: list[IPv4Network] = [r.cidr for g in groups for r in g.ingress if r.cidr]
    networks += [e.cidr for e in (acl.entries if acl else ())]
    networks += [r.destination for r in (rtb.routes if rtb else ())]
    sources = [s for s in _split(_cidr_cuts(networks), *ALL) if _public(s)]
    classes: list[tuple[str, tuple[int, int] | None, tuple[int, int]]] = []
    for protocol, number in (("tcp", "6"), ("udp", "17")):
        cuts: set[int] = set()
        for group in groups:
            for rule in group.ingress:
                if rule.protocol in (protocol, "-1") and rule.from_port is not None:
                    cuts.update((rule.from_port, (rule.to_port or 65535) + 1))
        for entry in acl.entries if acl else ():
            if not entry.egress and entry.protocol in (number, "-1") and entry.port_range:
                cuts.update((entry.port_range[0], entry.port_range[1] + 1))
        for ports in _split(cuts, 0, 65535):
            classes += [(protocol, ports, source) for source in sources]
    classes += [("icmp", None, source) for source in sources]
    return classes


def representative(
    protocol: str, ports: tuple[int, int] | None, source: tuple[int, int], destination: IPv4Address
) -> Header:
    """The header standing for a class: its lowest port and lowest source address."""
    src = IPv4Address(source[0])
    if protocol == "icmp":
        return Header(src, destination, "icmp", icmp_type=ICMP_ECHO_REQUEST, icmp_code=0)
    assert ports is not None
    return Header(src, destination, protocol, DEFAULT_SOURCE_PORT, ports[0])


def is_exposable(topology: Topology, eni: NetworkInterface) -> IPv4Address | None:
    """The public IP the internet can address ``eni`` by, if anything can reach it at all."""
    if eni.attachment is None or eni.interface_type != "interface":
        return None
    instance = topology.instances.get(eni.instance_id or "")
    if instance is None or instance.state != "running":
        return None
    public = topology.public_ip_of(eni, eni.primary_ip)
    if public is None or topology.internet_gateway_of(eni.vpc_id) is None:
        return None
    return public


def exposed(
    topology: Topology, eni: NetworkInterface, header: Header, decisions: Decisions | None = None
) -> dict[str, Any] | None:
    """The chain admitting ``header`` (already translated by the IGW) to ``eni``, or None.

    The same checks as the tracer's internet-to-ENI path and its reply: NACL in, SGs in,
    NACL out for the reply to the client's ephemeral port, and the reply's route to the IGW.
    """
    d = decisions or Decisions(topology)
    acl = d.network_acl_for(eni.subnet_id)
    rtb = d.route_table_for(eni.subnet_id)
    if acl is None or rtb is None:
        return None
    inbound = d.nacl(acl, False, header)
    if not inbound.allowed:
        return None
    sg = d.first_group(eni.groups, "ingress", header, eni.vpc_id)
    if sg is None:
        return None
    assert sg.group is not None and sg.rule is not None  # allowed by a rule
    reply = header.reply()
    outbound = d.nacl(acl, True, reply)
    if not outbound.allowed:
        return None
    route = d.route(rtb, header.source_ip)
    igw = topology.internet_gateway_of(eni.vpc_id)
    if (
        route.route is None
        or route.state != "active"
        or igw is None
        or route.route.target_id != igw.internet_gateway_id
    ):
        return None
    return {
        "route": {
            "route_table": rtb.route_table_id,
            "destination": str(route.route.destination),
            "target": route.route.target_id,
        },
        "acl_inbound": nacl_entry_label(inbound.entry),
        "acl_outbound": nacl_entry_label(outbound.entry),
        "security_group": {"id": sg.group.group_id, "rule": sg_rule_label(sg.rule)},
        "network_acl": acl.network_acl_id,
    }


def exposure_report(
    topology: Topology, progress: Callable[[int, int], None] | None = None
) -> list[ExposedInterface]:
    """Every ENI the internet can reach, with each protocol/port range, sources and chain.

    ``progress(done, total)`` is called as interfaces are examined (for long runs).
    """
    decisions = Decisions(topology)
    report: list[ExposedInterface] = []
    interfaces = sorted(topology.network_interfaces.values(), key=lambda e: e.network_interface_id)
    for done, eni in enumerate(interfaces):
        if progress is not None and done % 50 == 0:
            progress(done, len(interfaces))
        public = is_exposable(topology, eni)
        if public is None:
            continue
        found: dict[
            tuple[str, tuple[int, int] | None], tuple[list[tuple[int, int]], dict[str, Any]]
        ] = {}
        for protocol, ports, source in header_classes(topology, eni):
            chain = exposed(
                topology, eni, representative(protocol, ports, source, eni.primary_ip), decisions
            )
            if chain is not None:
                sources, _ = found.setdefault((protocol, ports), ([], chain))
                sources.append(source)
        if not found:
            continue
        item = ExposedInterface(
            eni.network_interface_id,
            eni.instance_id,
            str(eni.primary_ip),
            str(public),
            eni.subnet_id,
        )
        for (protocol, ports), (sources, chain) in found.items():
            cidrs = [
                str(n)
                for low, high in _merge(sources)
                for n in summarize_address_range(IPv4Address(low), IPv4Address(high))
            ]
            item.exposures.append(
                Exposure(protocol, ports, cidrs, {"public_ip": str(public), **chain})
            )
        report.append(item)
    return report


def _merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for low, high in sorted(intervals):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged
