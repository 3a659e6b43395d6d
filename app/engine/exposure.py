"""The exposure report: every ENI reachable from the internet, on which protocols, ports and
from which sources, with the chain that makes it so — exhaustively, not a sample.

Technique. The question for one ENI is a conjunction of four decisions over the header space
(protocol × destination port × internet source address): its subnet's NACL lets the request in,
one of its security groups allows it, the NACL lets the reply out, and the subnet's route table
sends the reply to the internet gateway. Each decision belongs to one component (a NACL, a
group, a route table), so it is *painted* once per component as intervals over the public
address space: the address space is cut at every boundary the component looks at (its CIDRs,
the addresses of the members of a group it references), and the tracer's own evaluator
(``evaluate_nacl``, ``evaluate_security_groups``, ``longest_prefix_match``) is asked once per
piece, at its lowest address — exact, because inside a piece no rule or route can tell two
addresses apart. Ports are cut the same way, at the component's own port boundaries. An ENI
then costs, per port class, the intersection of three short sorted interval lists.

A test checks the report against the single-path analysis (``tracer.analyze``) for every ENI
and header class of tiers S (both ends of every interval) and M, and a random sample of L.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from ipaddress import IPv4Address, IPv4Network, summarize_address_range
from typing import Any, NamedTuple

from .addressing import RFC1918, SHARED_ADDRESS_SPACE
from .labels import nacl_entry_label, sg_rule_label, sg_rule_words
from .model import (
    NetworkAcl,
    NetworkAclEntry,
    NetworkInterface,
    Route,
    RouteTable,
    SecurityGroup,
    SecurityGroupRule,
)
from .nacl import evaluate_nacl
from .packet import ICMP_ECHO_REQUEST, Header
from .request import DEFAULT_SOURCE_PORT
from .routing import longest_prefix_match
from .security_group import first_matching_rule, protocol_matches
from .topology import Topology

ALL = (0, 2**32 - 1)
PRIVATE_RANGES = [
    (int(n.network_address), int(n.broadcast_address)) for n in (*RFC1918, SHARED_ADDRESS_SPACE)
]
PRIVATE_CUTS = {point for low, high in PRIVATE_RANGES for point in (low, high + 1)}
PROTOCOLS = (("tcp", "6"), ("udp", "17"), ("icmp", "1"))
# Inbound NACL entries and security-group rules look at the source only: the destination of the
# request (the ENI's address after the IGW's translation) does not enter their decisions, so one
# painting serves every ENI behind the component.
ANY_DESTINATION = IPv4Address(0)

Piece = tuple[int, int, Any]  # lowest address, highest address, the decision there


class Evidence(NamedTuple):
    """What admits a source, as the model's own objects (an account whose groups open a
    thousand single ports has millions of exposures: their chains are built when shown)."""

    public_ip: str
    route_table: RouteTable
    network_acl: NetworkAcl
    group: SecurityGroup
    rule: SecurityGroupRule
    acl_inbound: NetworkAclEntry
    acl_outbound: NetworkAclEntry
    route: Route

    def chain(self) -> dict[str, Any]:
        """The chain admitting a source: public address, route back, NACL both ways, the
        group's rule."""
        return {
            "public_ip": self.public_ip,
            "route": {
                "route_table": self.route_table.route_table_id,
                "destination": str(self.route.destination),
                "target": self.route.target_id,
            },
            "acl_inbound": nacl_entry_label(self.acl_inbound),
            "acl_outbound": nacl_entry_label(self.acl_outbound),
            "security_group": {
                "id": self.group.group_id,
                "rule": sg_rule_label(self.rule),
                # The same label as data, for a reader of another language (a job's result is
                # kept as JSON: the page reads this, not the rule object).
                "rule_message": sg_rule_words(self.rule).to_dict(),
            },
            "network_acl": self.network_acl.network_acl_id,
        }


@dataclass
class Exposure:
    """One protocol and port range on which an ENI answers the internet, and from where."""

    protocol: str
    port_range: tuple[int, int] | None
    sources: tuple[str, ...]  # shared between exposures with the same sources: never mutated
    evidence: Evidence  # for the lowest source

    @property
    def chain(self) -> dict[str, Any]:
        return self.evidence.chain()

    @property
    def from_anywhere(self) -> bool:
        """Every internet address (the blocks of 0.0.0.0/0 outside the private ranges)?"""
        return self.sources == EVERY_INTERNET_BLOCK

    def to_dict(self) -> dict[str, Any]:
        return {
            "protocol": self.protocol,
            "port_range": list(self.port_range) if self.port_range else None,
            "sources": list(self.sources),
            "from_anywhere": self.from_anywhere,
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


# ---------------------------------------------------------------------------------------------
# Cutting the header space


def _split(points: Iterable[int], low: int, high: int) -> list[tuple[int, int]]:
    """Intervals of [low, high] cut at every point (a point starts a new interval)."""
    cuts = sorted({p for p in points if low < p <= high})
    intervals, start = [], low
    for cut in cuts:
        intervals.append((start, cut - 1))
        start = cut
    intervals.append((start, high))
    return intervals


def _public(interval: tuple[int, int]) -> bool:
    return not any(low <= interval[0] and interval[1] <= high for low, high in PRIVATE_RANGES)


# The internet's addresses: everything but the private ranges (the IGW drops those sources).
PUBLIC_RANGES = [piece for piece in _split(PRIVATE_CUTS, *ALL) if _public(piece)]


def _network_cuts(network: IPv4Network) -> tuple[int, int]:
    return int(network.network_address), int(network.broadcast_address) + 1


def _group_port_cuts(group: SecurityGroup, protocol: str) -> set[int]:
    """Where the group's inbound rules for ``protocol`` start or stop covering a port."""
    cuts: set[int] = set()
    for rule in group.ingress:
        if rule.protocol in (protocol, "-1") and rule.from_port is not None:
            cuts.update((rule.from_port, (65535 if rule.to_port is None else rule.to_port) + 1))
    return cuts


def _acl_port_cuts(acl: NetworkAcl | None, protocol: str) -> set[int]:
    """Where the NACL's inbound entries for ``protocol`` start or stop covering a port."""
    number = dict(PROTOCOLS)[protocol]
    cuts: set[int] = set()
    for entry in acl.entries if acl else ():
        if not entry.egress and entry.protocol in (number, "-1") and entry.port_range:
            cuts.update((entry.port_range[0], entry.port_range[1] + 1))
    return cuts


def _port_classes(
    groups: list[SecurityGroup], acl: NetworkAcl | None, protocol: str
) -> list[tuple[int, int]]:
    """The ports of ``protocol`` that the ENI's groups and NACL can tell apart."""
    cuts = _acl_port_cuts(acl, protocol)
    for group in groups:
        cuts |= _group_port_cuts(group, protocol)
    return _split(cuts, 0, 65535)


def _groups_of(topology: Topology, eni: NetworkInterface) -> list[SecurityGroup]:
    return [topology.security_groups[g] for g in eni.groups if g in topology.security_groups]


def header_classes(
    topology: Topology, eni: NetworkInterface
) -> list[tuple[str, tuple[int, int] | None, tuple[int, int]]]:
    """Every (protocol, port class, source class) that can be decided differently for ``eni``.

    Sources are internet addresses only: the internet gateway drops private sources. (The
    report does not walk these classes; the tests and the benchmark's naive loop do.)
    """
    acl = topology.network_acl_for(eni.subnet_id)
    rtb = topology.route_table_for(eni.subnet_id)
    groups = _groups_of(topology, eni)
    networks: list[IPv4Network] = [r.cidr for g in groups for r in g.ingress if r.cidr]
    networks += [e.cidr for e in (acl.entries if acl else ())]
    networks += [r.destination for r in (rtb.routes if rtb else ())]
    points = {p for n in networks for p in _network_cuts(n)} | PRIVATE_CUTS
    sources = [s for s in _split(points, *ALL) if _public(s)]
    classes: list[tuple[str, tuple[int, int] | None, tuple[int, int]]] = []
    for protocol in ("tcp", "udp"):
        for ports in _port_classes(groups, acl, protocol):
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


# ---------------------------------------------------------------------------------------------
# Interval lists: sorted, disjoint pieces of the public address space where a decision allows


def _paint(cuts: set[int], decide: Callable[[int], Any]) -> list[Piece]:
    """The pieces of the public address space where ``decide(address)`` returns evidence.

    ``cuts`` holds every boundary the decision depends on, so inside one piece the evaluator
    answers the same for every address and asking it once, at the lowest, is exact.
    """
    pieces: list[Piece] = []
    for low, high in (piece for public in PUBLIC_RANGES for piece in _split(cuts, *public)):
        value = decide(low)
        if value is None:
            continue
        if pieces and pieces[-1][1] + 1 == low and pieces[-1][2] == value:
            pieces[-1] = (pieces[-1][0], high, value)
        else:
            pieces.append((low, high, value))
    return pieces


def _overlaps(a: list[Any], b: list[Any]) -> Iterator[tuple[int, int, Any, Any]]:
    """Where pieces of two sorted, disjoint lists (``(low, high, …)``) overlap: the overlap's
    bounds and the two pieces."""
    i = j = 0
    while i < len(a) and j < len(b):
        low, high = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if low <= high:
            yield low, high, a[i], b[j]
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1


def _meet(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The addresses in both (sorted, disjoint interval lists)."""
    return [(low, high) for low, high, _, _ in _overlaps(a, b)]


def _overlay(top: list[Piece], bottom: list[Piece]) -> list[Piece]:
    """``top`` where it allows, else ``bottom``: the first group that allows wins."""
    gaps: list[Piece] = []
    start = ALL[0]
    for low, high, _ in top:
        if start < low:
            gaps.append((start, low - 1, None))
        start = high + 1
    if start <= ALL[1]:
        gaps.append((start, ALL[1], None))
    below = [(low, high, piece[2]) for low, high, _, piece in _overlaps(gaps, bottom)]
    return sorted(top + below, key=lambda piece: piece[0])


# ---------------------------------------------------------------------------------------------
# Each component's decision, painted once


class _Painter:
    """The components' decisions as interval lists, computed once per component and class."""

    def __init__(self, topology: Topology) -> None:
        self.t = topology
        self._cuts: dict[tuple[str, str], list[int]] = {}
        self._pieces: dict[tuple[Any, ...], list[Piece]] = {}
        self._members: dict[str, set[int]] = {}
        self._derivations: dict[int, tuple[list[Piece], list[int], list[tuple[int, int]]]] = {}
        self._kept: set[int] = set()
        self._tables: dict[
            tuple[str, str], tuple[list[int], list[tuple[SecurityGroupRule, ...]]]
        ] = {}

    def _acl_class(self, acl: NetworkAcl, protocol: str, port: int | None) -> int:
        """Which of the NACL's own inbound port classes ``port`` falls in (ICMP: -1)."""
        key = (acl.network_acl_id, protocol)
        cuts = self._cuts.get(key)
        if cuts is None:
            cuts = self._cuts[key] = sorted(_acl_port_cuts(acl, protocol))
        return -1 if port is None else bisect_right(cuts, port)

    def _public_members(self, group_id: str) -> set[int]:
        """Cuts around the members' addresses that could be an internet source. A group
        reference matches its members' private addresses (VPC UG: security-group-rules,
        "Security group referencing"): only those that are public addresses ever matter here."""
        found = self._members.get(group_id)
        if found is None:
            found = self._members[group_id] = {
                point
                for member in self.t.enis_in_group(group_id)
                for address in member.addresses
                if _public((int(address), int(address)))
                for point in (int(address), int(address) + 1)
            }
        return found

    def _derived(self, pieces: list[Piece]) -> tuple[list[int], list[tuple[int, int]]]:
        """A painting's lowest addresses (for lookups) and the addresses it covers, merged
        (evidence aside). Kept for the paintings the painter keeps; a one-off list (the
        overlay of an ENI's several groups) gets them computed and dropped."""
        found = self._derivations.get(id(pieces))
        if found is not None and found[0] is pieces:
            return found[1], found[2]
        lows = [low for low, _, _ in pieces]
        cover = _merge([(low, high) for low, high, _ in pieces])
        if id(pieces) in self._kept:
            self._derivations[id(pieces)] = (pieces, lows, cover)
        return lows, cover

    def cover(self, pieces: list[Piece]) -> list[tuple[int, int]]:
        return self._derived(pieces)[1]

    def at(self, pieces: list[Piece], address: int) -> Any:
        """The evidence of the piece holding ``address`` (which the painting covers)."""
        lows = self._derived(pieces)[0]
        low, high, value = pieces[bisect_right(lows, address) - 1]
        assert low <= address <= high
        return value

    def _cached(self, key: tuple[Any, ...], paint: Callable[[], list[Piece]]) -> list[Piece]:
        found = self._pieces.get(key)
        if found is None:
            found = self._pieces[key] = paint()
            self._kept.add(id(found))  # kept alive by _pieces: the id stays its own
        return found

    def nacl_in(self, acl: NetworkAcl, protocol: str, port: int | None) -> list[Piece]:
        """Sources the NACL lets in for ``protocol``/``port`` (evidence: the entry)."""
        cls = self._acl_class(acl, protocol, port)

        def paint() -> list[Piece]:
            cuts = {p for e in acl.entries if not e.egress for p in _network_cuts(e.cidr)}

            def decide(address: int) -> NetworkAclEntry | None:
                decision = evaluate_nacl(acl, _request(protocol, port, address), egress=False)
                return decision.entry if decision.allowed else None

            return _paint(cuts, decide)

        return self._cached(("acl-in", acl.network_acl_id, protocol, cls), paint)

    def group(
        self, group: SecurityGroup, protocol: str, port: int | None, vpc_id: str
    ) -> list[Piece]:
        """Sources one group's inbound rules allow (evidence: the group and its rule)."""
        cuts, table = self._rule_table(group, protocol)
        rules = table[0 if port is None else bisect_right(cuts, port)]
        if not rules:
            return []  # the group allows this traffic from no internet address

        def paint() -> list[Piece]:
            cuts: set[int] = set()
            for rule in rules:
                if rule.cidr is not None:
                    cuts.update(_network_cuts(rule.cidr))
                elif rule.group_id is not None:
                    cuts |= self._public_members(rule.group_id)

            def decide(address: int) -> tuple[SecurityGroup, SecurityGroupRule] | None:
                header = _request(protocol, port, address)
                rule = first_matching_rule(self.t, rules, header, "ingress", vpc_id)
                return None if rule is None else (group, rule)

            return _paint(cuts, decide)

        # Port classes of the group that keep the same rules are painted once.
        return self._cached(("sg", group.group_id, protocol, vpc_id, *map(id, rules)), paint)

    def _rule_table(
        self, group: SecurityGroup, protocol: str
    ) -> tuple[list[int], list[tuple[SecurityGroupRule, ...]]]:
        """The group's own port classes for ``protocol`` and, for each, the rules that can
        match that traffic from some internet address. The others match at no address of a
        painting, so leaving them out keeps the first matching rule the same.

        A rule with a port range of this protocol covers exactly the classes from its first
        port to its last (both bounds are cuts); any other rule matches every class or none.
        ``protocol_matches`` decides, probed once per rule (a group at the quota has 1,000
        rules and as many classes: probing every pair was a million checks).
        """
        key = (group.group_id, protocol)
        found = self._tables.get(key)
        if found is None:
            cuts = sorted(_group_port_cuts(group, protocol)) if protocol != "icmp" else []
            covering: list[list[SecurityGroupRule]] = [[] for _ in range(len(cuts) + 1)]
            for rule in group.ingress:
                if not self._reaches_internet(rule):
                    continue
                ranged = rule.protocol == protocol and rule.from_port is not None
                low = rule.from_port if ranged and rule.from_port is not None else 0
                if not protocol_matches(rule, _request(protocol, low, 0)):
                    continue
                if ranged:
                    high = 65535 if rule.to_port is None else rule.to_port
                    classes = range(bisect_right(cuts, low), bisect_right(cuts, high) + 1)
                else:
                    classes = range(len(covering))
                for index in classes:
                    covering[index].append(rule)
            found = self._tables[key] = (cuts, [tuple(rules) for rules in covering])
        return found

    def _reaches_internet(self, rule: SecurityGroupRule) -> bool:
        """Can the rule's source be an internet address at all?"""
        if rule.cidr is not None:
            return _cidr_reaches_internet(rule.cidr)
        if rule.group_id is not None:
            return bool(self._public_members(rule.group_id))
        return False  # prefix lists are kept but never match (security_group.peer_matches)

    def groups(
        self, groups: list[SecurityGroup], protocol: str, port: int | None, vpc_id: str
    ) -> list[Piece]:
        """Sources the ENI's groups allow: the first group (in the ENI's order) that allows
        decides, as ``evaluate_security_groups`` does over all of them."""
        result: list[Piece] = []
        for index, group in enumerate(groups):
            pieces = self.group(group, protocol, port, vpc_id)
            result = pieces if index == 0 else _overlay(result, pieces)
        return result

    def reply_path(
        self, acl: NetworkAcl, rtb: RouteTable, protocol: str, igw_id: str
    ) -> list[Piece]:
        """Sources the reply can get back to: the NACL lets it out (to the client's ephemeral
        port) and the route table sends it to the internet gateway; both decisions as evidence.
        """

        def paint() -> list[Piece]:
            cuts = {p for e in acl.entries if e.egress for p in _network_cuts(e.cidr)}
            cuts |= {p for r in rtb.routes for p in _network_cuts(r.destination)}

            def decide(address: int) -> tuple[NetworkAclEntry, Route] | None:
                reply = _request(protocol, 0, address).reply()
                outbound = evaluate_nacl(acl, reply, egress=True)
                if not outbound.allowed:
                    return None
                route = longest_prefix_match(self.t, rtb, reply.destination_ip)
                if (
                    route.route is None
                    or route.state != "active"
                    or route.route.target_id != igw_id
                ):
                    return None
                return outbound.entry, route.route

            return _paint(cuts, decide)

        key = ("reply", acl.network_acl_id, rtb.route_table_id, protocol, igw_id)
        return self._cached(key, paint)


def _request(protocol: str, port: int | None, source: int) -> Header:
    """The internet's request from ``source`` as the ENI's subnet sees it (after the IGW)."""
    ports = None if protocol == "icmp" else (port or 0, port or 0)
    return representative(protocol, ports, (source, source), ANY_DESTINATION)


# ---------------------------------------------------------------------------------------------
# The report


def _reachable_at_all(topology: Topology, eni: NetworkInterface) -> bool:
    """An interface of a running instance in a VPC with an internet gateway."""
    if eni.attachment is None or eni.interface_type != "interface":
        return False
    instance = topology.instances.get(eni.instance_id or "")
    if instance is None or instance.state != "running":
        return False
    return topology.internet_gateway_of(eni.vpc_id) is not None


def is_exposable(topology: Topology, eni: NetworkInterface) -> IPv4Address | None:
    """The public IP the internet can address ``eni`` by, if anything can reach it at all."""
    if not _reachable_at_all(topology, eni):
        return None
    return topology.public_ip_of(eni, eni.primary_ip)


def public_addresses(topology: Topology, eni: NetworkInterface) -> list[IPv4Address]:
    """Every public IP the internet can address ``eni`` by: the one of its primary address and
    those mapped to its secondary addresses (an Elastic IP can sit on any of them)."""
    if not _reachable_at_all(topology, eni):
        return []
    found = (topology.public_ip_of(eni, address) for address in eni.addresses)
    return [public for public in found if public is not None]


def interface_exposures(
    topology: Topology, eni: NetworkInterface, public: IPv4Address
) -> list[Exposure]:
    """The exposures of ``eni`` through ``public``, one of its ``public_addresses``. Exact for a
    secondary address too: the NACL, the groups and the reply's route decide by the internet
    source and the port, never by which private address of the interface is asked."""
    return _exposures(_Painter(topology), eni, public)


def _exposures(painter: _Painter, eni: NetworkInterface, public: IPv4Address) -> list[Exposure]:
    t = painter.t
    acl = t.network_acl_for(eni.subnet_id)
    rtb = t.route_table_for(eni.subnet_id)
    igw = t.internet_gateway_of(eni.vpc_id)
    if acl is None or rtb is None or igw is None:
        return []
    groups = _groups_of(t, eni)
    public_ip = str(public)
    exposures: list[Exposure] = []
    for protocol, _ in PROTOCOLS:
        back = painter.reply_path(acl, rtb, protocol, igw.internet_gateway_id)
        if not back:
            continue
        classes: list[tuple[int, int] | None] = (
            [None] if protocol == "icmp" else list(_port_classes(groups, acl, protocol))
        )
        for ports in classes:
            port = ports[0] if ports else None
            allowed = painter.groups(groups, protocol, port, eni.vpc_id)
            if not allowed:
                continue
            inbound = painter.nacl_in(acl, protocol, port)
            # Where all three allow does not depend on their evidence (which rule, which
            # route): intersect what each covers, then read the evidence at the lowest source.
            where = _meet(
                _meet(painter.cover(allowed), painter.cover(inbound)), painter.cover(back)
            )
            if not where:
                continue
            first = where[0][0]
            group, rule = painter.at(allowed, first)
            outbound, route = painter.at(back, first)
            evidence = Evidence(
                public_ip, rtb, acl, group, rule, painter.at(inbound, first), outbound, route
            )
            exposures.append(Exposure(protocol, ports, _cidrs(tuple(where)), evidence))
    return exposures


def exposure_report(
    topology: Topology, progress: Callable[[int, int], None] | None = None
) -> list[ExposedInterface]:
    """Every ENI the internet can reach, with each protocol/port range, sources and chain.

    The chain shown for a port range is the one admitting its lowest source address.
    ``progress(done, total)`` is called as interfaces are examined (for long runs).
    """
    painter = _Painter(topology)
    report: list[ExposedInterface] = []
    interfaces = sorted(topology.network_interfaces.values(), key=lambda e: e.network_interface_id)
    for done, eni in enumerate(interfaces):
        if progress is not None and done % 50 == 0:
            progress(done, len(interfaces))
        public = is_exposable(topology, eni)
        if public is None:
            continue
        exposures = _exposures(painter, eni, public)
        if exposures:
            report.append(
                ExposedInterface(
                    eni.network_interface_id,
                    eni.instance_id,
                    str(eni.primary_ip),
                    str(public),
                    eni.subnet_id,
                    exposures,
                )
            )
    return report


@lru_cache(maxsize=65536)
def _cidr_reaches_internet(cidr: IPv4Network) -> bool:
    low, high = _network_cuts(cidr)
    return any(low < p_high + 1 and p_low < high for p_low, p_high in PUBLIC_RANGES)


@lru_cache(maxsize=4096)
def _cidrs(intervals: tuple[tuple[int, int], ...]) -> tuple[str, ...]:
    """The fewest CIDR blocks covering the intervals (many ENIs share one set of sources)."""
    return tuple(
        str(n)
        for low, high in intervals
        for n in summarize_address_range(IPv4Address(low), IPv4Address(high))
    )


def _merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for low, high in sorted(intervals):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


EVERY_INTERNET_BLOCK = _cidrs(tuple(PUBLIC_RANGES))
