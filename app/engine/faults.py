"""Troubleshooting challenges: "we break it, you fix it" (issue 13).

A catalogue of faults a network engineer meets in a VPC, each a change AWS would accept (made
with the engine's own operations, so the broken lab is a state a real account can be in). From
a working lab, ``inject`` draws faults with a seeded generator (one seed per student, so
neighbours get different faults) and keeps only faults that, each on its own, break at least one
of the flows the lab requires: a fault that breaks nothing would be a fault nobody can find.
``repaired`` tells, per fault, whether the learner undid its effect, however they did it (a new
route to the same kind of target, the same rule written another way…), so the instructor sees
which faults each student found.

Faults are data: a code, the component changed and the parameters; the faces say them.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from ipaddress import IPv4Network
from typing import Any

from . import operations as op
from .conditions import is_public_subnet
from .errors import AwsError
from .messages import Message, message, text
from .model import NetworkAcl, Route, SecurityGroupRule
from .routing import route_state
from .topology import Topology

# A lab's required flows: True for each flow that passes (in a fixed order).
Flows = Callable[[Topology], list[bool]]

ANYWHERE = IPv4Network("0.0.0.0/0")
# A documentation range (RFC 5737 TEST-NET-2): no learner's PC is there, so a rule narrowed to
# it admits nobody who tests.
ELSEWHERE = IPv4Network("198.51.100.0/24")

CODES = (
    "route-removed",
    "route-blackhole",
    "wrong-route-table",
    "nacl-no-ephemeral",
    "nacl-earlier-deny",
    "sg-rule-removed",
    "sg-wrong-port",
    "sg-wrong-source",
    "instance-stopped",
    "eip-disassociated",
    "igw-detached",
    "source-dest-check-on",
    "nat-in-private-subnet",
)

text("fault.route-removed", "The route to {destination} was removed from {route_table}.")
text(
    "fault.route-blackhole",
    "The route to {destination} in {route_table} points at {target}, which no longer works "
    "(a blackhole).",
)
text("fault.wrong-route-table", "Subnet {subnet} was associated with another route table.")
text(
    "fault.nacl-no-ephemeral",
    "Subnet {subnet} got a network ACL that allows the service ports but not the ephemeral "
    "ports the replies use.",
)
text(
    "fault.nacl-earlier-deny",
    "Network ACL {network_acl} got rule {rule_number} denying {protocol} port {port}, numbered "
    "before the rule that allowed it.",
)
text("fault.sg-rule-removed", "A rule allowing {protocol} port {port} was removed from {group}.")
text("fault.sg-wrong-port", "A rule of {group} was moved from port {port} to port {wrong_port}.")
text(
    "fault.sg-wrong-source",
    "A rule of {group} for port {port} now admits only {wrong_source} instead of {source}.",
)
text("fault.instance-stopped", "Instance {instance} was stopped.")
text("fault.eip-disassociated", "Elastic IP {public_ip} was disassociated from {interface}.")
text("fault.igw-detached", "Internet gateway {internet_gateway} was detached from {vpc}.")
text(
    "fault.source-dest-check-on",
    "Source/destination check was turned back on for {interface}, which forwards others' traffic.",
)
text(
    "fault.nat-in-private-subnet",
    "The NAT gateway for {route_table} was replaced by one in subnet {subnet}, which has no "
    "route to the internet gateway.",
)


@dataclass(frozen=True)
class Fault:
    """One injected fault: what was changed, and how to tell it was repaired."""

    code: str
    component: str  # the id of the resource the fault changed
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def said(self) -> Message:
        return message(f"fault.{self.code}", **self.params)


@dataclass(frozen=True)
class _Candidate:
    fault: Fault
    apply: Callable[[Topology], None]


# ---- the catalogue --------------------------------------------------------------------------
def _served_subnets(t: Topology, route_table_id: str) -> list[str]:
    return [
        s for s in t.subnets if (rt := t.route_table_for(s)) and rt.route_table_id == route_table_id
    ]


def _routes(t: Topology) -> Iterator[tuple[str, Route]]:
    """Every non-local route of a table that serves a subnet."""
    for rt in t.route_tables.values():
        if not _served_subnets(t, rt.route_table_id):
            continue
        for route in rt.routes:
            if route.target_type != "local" and route_state(t, route) == "active":
                yield rt.route_table_id, route


def _route_removed(t: Topology) -> Iterator[_Candidate]:
    for rtb, route in _routes(t):

        def apply(x: Topology, rtb: str = rtb, route: Route = route) -> None:
            op.delete_route(x, route_table_id=rtb, destination_cidr_block=str(route.destination))

        params = {"destination": str(route.destination), "route_table": rtb}
        yield _Candidate(Fault("route-removed", rtb, params), apply)


def _route_blackhole(t: Topology) -> Iterator[_Candidate]:
    """A NAT gateway deleted under its route: the route stays, as a blackhole (VPC UG: route
    tables, "Blackhole" route status)."""
    for rtb, route in _routes(t):
        if route.target_type != "nat-gateway":
            continue

        def apply(x: Topology, nat: str = route.target_id) -> None:
            op.delete_nat_gateway(x, nat_gateway_id=nat)

        params = {
            "destination": str(route.destination),
            "route_table": rtb,
            "target": route.target_id,
        }
        yield _Candidate(Fault("route-blackhole", rtb, params), apply)


def _wrong_route_table(t: Topology) -> Iterator[_Candidate]:
    """An explicitly associated subnet moved to another table of its VPC."""
    for rt in t.route_tables.values():
        for association in rt.associations:
            if association.main or association.subnet_id is None:
                continue
            for other in t.route_tables.values():
                if other.vpc_id != rt.vpc_id or other.route_table_id == rt.route_table_id:
                    continue
                if {r.destination for r in other.routes} >= {r.destination for r in rt.routes}:
                    continue  # as good a table: moving there breaks nothing

                def apply(
                    x: Topology, a: str = association.association_id, to: str = other.route_table_id
                ) -> None:
                    op.replace_route_table_association(x, association_id=a, route_table_id=to)

                params = {"subnet": association.subnet_id}
                yield _Candidate(Fault("wrong-route-table", association.subnet_id, params), apply)


def _service_ports(t: Topology, subnet_id: str) -> list[tuple[str, int]]:
    """The TCP and UDP ports the groups of the subnet's interfaces admit, as (protocol, port)."""
    ports: set[tuple[str, int]] = set()
    for eni in t.network_interfaces.values():
        if eni.subnet_id != subnet_id:
            continue
        for gid in eni.groups:
            group = t.security_groups.get(gid)
            for rule in group.ingress if group else ():
                if rule.protocol in ("tcp", "udp") and rule.from_port is not None:
                    ports.add((rule.protocol, rule.from_port))
    return sorted(ports)


def _nacl_no_ephemeral(t: Topology) -> Iterator[_Candidate]:
    """A new ACL for the subnet: its service ports both ways, but not 1024-65535, where the
    replies come back (VPC UG: network ACLs, "Ephemeral ports")."""
    for subnet in t.subnets.values():
        ports = _service_ports(t, subnet.subnet_id)
        if not ports:
            continue

        def apply(
            x: Topology,
            subnet: str = subnet.subnet_id,
            vpc: str = subnet.vpc_id,
            ports: list[tuple[str, int]] = ports,
        ) -> None:
            acl = op.create_network_acl(x, vpc_id=vpc)
            for number, (protocol, port) in enumerate(ports, start=1):
                for egress in (False, True):
                    op.create_network_acl_entry(
                        x,
                        network_acl_id=acl.network_acl_id,
                        rule_number=100 * number,
                        protocol=protocol,
                        rule_action="allow",
                        egress=egress,
                        cidr_block=str(ANYWHERE),
                        port_range={"From": port, "To": port},
                    )
            op.associate_subnet_with_acl(x, subnet_id=subnet, network_acl_id=acl.network_acl_id)

        yield _Candidate(
            Fault("nacl-no-ephemeral", subnet.subnet_id, {"subnet": subnet.subnet_id}), apply
        )


def _first_allow(acl: NetworkAcl) -> int | None:
    allows = [e.rule_number for e in acl.entries if not e.egress and e.rule_action == "allow"]
    return min(allows) if allows else None


def _nacl_earlier_deny(t: Topology) -> Iterator[_Candidate]:
    for subnet in t.subnets.values():
        acl = t.network_acl_for(subnet.subnet_id)
        first = _first_allow(acl) if acl else None
        if acl is None or first is None or first <= 1:
            continue
        for protocol, port in _service_ports(t, subnet.subnet_id):
            number = max(1, first - 1)

            def apply(
                x: Topology,
                acl_id: str = acl.network_acl_id,
                protocol: str = protocol,
                port: int = port,
                number: int = number,
            ) -> None:
                op.create_network_acl_entry(
                    x,
                    network_acl_id=acl_id,
                    rule_number=number,
                    protocol=protocol,
                    rule_action="deny",
                    egress=False,
                    cidr_block=str(ANYWHERE),
                    port_range={"From": port, "To": port},
                )

            params = {
                "network_acl": acl.network_acl_id,
                "rule_number": number,
                "protocol": protocol,
                "port": port,
            }
            yield _Candidate(Fault("nacl-earlier-deny", acl.network_acl_id, params), apply)


def _attached_groups(t: Topology) -> list[str]:
    return sorted(
        {g for eni in t.network_interfaces.values() if eni.attachment for g in eni.groups}
    )


def _sg_faults(t: Topology) -> Iterator[_Candidate]:
    for gid in _attached_groups(t):
        group = t.security_groups[gid]
        for index, rule in enumerate(group.ingress):
            if (
                rule.protocol not in ("tcp", "udp")
                or rule.from_port is None
                or rule.from_port != rule.to_port
            ):
                continue
            port = rule.from_port
            base = {"group": gid, "protocol": rule.protocol, "port": port}

            def replaced(
                new: SecurityGroupRule | None, gid: str = gid, index: int = index
            ) -> Callable[[Topology], None]:
                def apply(x: Topology) -> None:
                    g = x.security_groups[gid]
                    rules = list(g.ingress)
                    if new is None:
                        del rules[index]
                    else:
                        rules[index] = new
                    x.put(dataclasses.replace(g, ingress=tuple(rules)))

                return apply

            yield _Candidate(Fault("sg-rule-removed", gid, base), replaced(None))
            wrong = port + 1 if port < 65535 else port - 1
            yield _Candidate(
                Fault("sg-wrong-port", gid, {**base, "wrong_port": wrong}),
                replaced(dataclasses.replace(rule, from_port=wrong, to_port=wrong)),
            )
            if rule.cidr is not None and rule.cidr != ELSEWHERE:
                yield _Candidate(
                    Fault(
                        "sg-wrong-source",
                        gid,
                        {**base, "source": str(rule.cidr), "wrong_source": str(ELSEWHERE)},
                    ),
                    replaced(dataclasses.replace(rule, cidr=ELSEWHERE)),
                )


def _instance_stopped(t: Topology) -> Iterator[_Candidate]:
    for instance in t.instances.values():
        if instance.state == "running":

            def apply(x: Topology, iid: str = instance.instance_id) -> None:
                op.stop_instances(x, instance_id=iid)

            yield _Candidate(
                Fault("instance-stopped", instance.instance_id, {"instance": instance.instance_id}),
                apply,
            )


def _eip_disassociated(t: Topology) -> Iterator[_Candidate]:
    for eip in t.addresses.values():
        eni = t.network_interfaces.get(eip.network_interface_id or "")
        # A NAT gateway's address stays until the gateway is deleted (InvalidIPAddress.InUse).
        if eip.association_id and eni is not None and not eni.requester_managed:

            def apply(x: Topology, allocation: str = eip.allocation_id) -> None:
                op.disassociate_address(x, allocation_id=allocation)

            params = {"public_ip": str(eip.public_ip), "interface": eni.network_interface_id}
            yield _Candidate(Fault("eip-disassociated", eni.network_interface_id, params), apply)


def _igw_detached(t: Topology) -> Iterator[_Candidate]:
    """Only where AWS allows it: not while public addresses are mapped in the VPC."""
    for igw in t.internet_gateways.values():
        if igw.vpc_id:

            def apply(
                x: Topology, gw: str = igw.internet_gateway_id, vpc: str = igw.vpc_id
            ) -> None:
                op.detach_internet_gateway(x, internet_gateway_id=gw, vpc_id=vpc)

            params = {"internet_gateway": igw.internet_gateway_id, "vpc": igw.vpc_id}
            yield _Candidate(Fault("igw-detached", igw.internet_gateway_id, params), apply)


def _source_dest_check_on(t: Topology) -> Iterator[_Candidate]:
    for eni in t.network_interfaces.values():
        if not eni.source_dest_check and not eni.requester_managed:

            def apply(x: Topology, eni_id: str = eni.network_interface_id) -> None:
                op.modify_network_interface_attribute(
                    x, network_interface_id=eni_id, source_dest_check=True
                )

            params = {"interface": eni.network_interface_id}
            yield _Candidate(Fault("source-dest-check-on", eni.network_interface_id, params), apply)


def _nat_in_private_subnet(t: Topology) -> Iterator[_Candidate]:
    """The NAT gateway re-made in a private subnet, the route moved to it: it exists and is
    routed to, but its own subnet has no way out (VPC UG: NAT gateways, "create the public NAT
    gateway in a public subnet")."""
    for rtb, route in _routes(t):
        if route.target_type != "nat-gateway":
            continue
        nat = t.nat_gateways[route.target_id]
        private = [
            s
            for s in t.subnets.values()
            if s.vpc_id == nat.vpc_id and not is_public_subnet(t, s.subnet_id)
        ]
        if not private or nat.allocation_id is None:
            continue

        def apply(
            x: Topology,
            rtb: str = rtb,
            route: Route = route,
            nat_id: str = nat.nat_gateway_id,
            subnet: str = private[0].subnet_id,
            allocation: str = nat.allocation_id,
        ) -> None:
            op.delete_nat_gateway(x, nat_gateway_id=nat_id)
            moved = op.create_nat_gateway(x, subnet_id=subnet, allocation_id=allocation)
            op.replace_route(
                x,
                route_table_id=rtb,
                destination_cidr_block=str(route.destination),
                nat_gateway_id=moved.nat_gateway_id,
            )

        yield _Candidate(
            Fault(
                "nat-in-private-subnet", rtb, {"route_table": rtb, "subnet": private[0].subnet_id}
            ),
            apply,
        )


CATALOGUE: dict[str, Callable[[Topology], Iterator[_Candidate]]] = {
    "route-removed": _route_removed,
    "route-blackhole": _route_blackhole,
    "wrong-route-table": _wrong_route_table,
    "nacl-no-ephemeral": _nacl_no_ephemeral,
    "nacl-earlier-deny": _nacl_earlier_deny,
    "sg": _sg_faults,
    "instance-stopped": _instance_stopped,
    "eip-disassociated": _eip_disassociated,
    "igw-detached": _igw_detached,
    "source-dest-check-on": _source_dest_check_on,
    "nat-in-private-subnet": _nat_in_private_subnet,
}


# ---- drawing and judging --------------------------------------------------------------------
def candidates(topology: Topology) -> list[_Candidate]:
    """Every fault the catalogue could inject into ``topology`` (not yet checked to matter)."""
    return [c for make in CATALOGUE.values() for c in make(topology)]


def _breaks(
    topology: Topology, candidate: _Candidate, flows: Flows, before: list[bool]
) -> Topology | None:
    """``topology`` with the fault applied, if AWS accepts it and it breaks a required flow."""
    trial = topology.copy()
    try:
        candidate.apply(trial)
    except AwsError:
        return None  # AWS would refuse this change here (e.g. detaching a gateway in use)
    after = flows(trial)
    return trial if any(b and not a for b, a in zip(before, after, strict=True)) else None


def inject(
    topology: Topology, count: int, seed: int | str, flows: Flows
) -> tuple[Topology, list[Fault]]:
    """``count`` faults of different codes drawn for ``seed``, each breaking a required flow on
    its own, applied together to a copy of ``topology`` (which stays as it was). Fewer when the
    lab offers fewer (a lab without a NAT gateway has no NAT faults)."""
    before = flows(topology)
    pool = candidates(topology)
    random.Random(str(seed)).shuffle(pool)
    broken = topology.copy()
    chosen: list[Fault] = []
    touched: set[str] = set()
    for candidate in pool:
        fault = candidate.fault
        if len(chosen) == count:
            break
        if fault.code in {f.code for f in chosen} or fault.component in touched:
            continue
        if _breaks(topology, candidate, flows, before) is None:
            continue
        trial = broken.copy()
        try:
            candidate.apply(trial)
        except AwsError:
            continue  # an earlier fault made this one impossible
        broken = trial
        chosen.append(fault)
        touched.add(fault.component)
    return broken, chosen


def broken_by(original: Topology, fault: Fault, flows: Flows) -> list[int]:
    """The indices of the flows that ``fault`` alone breaks in the original lab (empty: the
    catalogue no longer offers it there, or AWS refuses it). It depends on the original lab
    only, so a face may keep it while the learner works."""
    alone = next((c for c in candidates(original) if c.fault == fault), None)
    if alone is None:
        return []
    trial = original.copy()
    try:
        alone.apply(trial)
    except AwsError:
        return []
    good, bad = flows(original), flows(trial)
    return [i for i, (g, b) in enumerate(zip(good, bad, strict=True)) if g and not b]


def repaired(topology: Topology, fault: Fault, flows: Flows, original: Topology) -> bool:
    """Is the effect of ``fault`` undone in ``topology``? The fault alone, applied to the
    original lab, broke some flows: it is repaired when those flows pass again, whatever else
    is still broken. (A flow two faults break passes only once both are repaired: then both
    count as found.)"""
    broke = broken_by(original, fault, flows)
    now = flows(topology)
    return bool(broke) and all(now[i] for i in broke)
