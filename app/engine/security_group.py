"""Security groups: the union of allow rules of every group on an ENI, stateful.

Sources: VPC UG security-group-rules ("rules are permissive only", "stateful") and
default-security-group. A rule that names a group matches the *private* IPs of the ENIs in that
group (VPC UG: security-group-rules, "Security group referencing"), never their public IPs, so
traffic hairpinned through an IGW is not matched by such a rule.

Nor does it match traffic a middlebox appliance forwards (a route to an ENI or instance). VPC UG
security-group-rules and route-table-options ("Routing inter-subnet traffic to an appliance"):
"If you configure routes to forward the traffic between two instances in different subnets
through a middlebox appliance, … The security group for each instance must reference the private
IP address of the other instance, or the CIDR range of the subnet that contains the other
instance, as the source. If you reference the security group of the other instance as the
source, this does not allow traffic to flow between the instances."
https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from ipaddress import IPv4Address

from .model import SecurityGroup, SecurityGroupRule
from .packet import PROTOCOL_NUMBERS, Header
from .topology import Topology


@dataclass(frozen=True)
class SgDecision:
    """Evidence of a security-group evaluation.

    ``reason`` is ``rule`` (``group`` and ``rule`` matched), ``reply`` (stateful: the reply of an
    allowed connection), ``no-rule`` (nothing matched) or ``no-rules`` (no rule at all that way).
    """

    allowed: bool
    direction: str
    groups: tuple[SecurityGroup, ...]
    reason: str
    group: SecurityGroup | None = None
    rule: SecurityGroupRule | None = None
    # Through a middlebox: a rule referencing a group that would have matched, had the packet
    # come straight from the sender, and the group that holds it.
    ignored_group: SecurityGroup | None = None
    ignored_rule: SecurityGroupRule | None = None


def protocol_matches(rule: SecurityGroupRule, header: Header) -> bool:
    if rule.protocol == "-1":
        return True
    if rule.protocol in ("tcp", "udp"):
        if rule.protocol != header.protocol:
            return False
        port = header.destination_port
        low = rule.from_port if rule.from_port is not None else 0
        high = rule.to_port if rule.to_port is not None else 65535
        return port is not None and low <= port <= high
    if rule.protocol == "icmp":
        if header.protocol != "icmp":
            return False
        rule_type = rule.from_port if rule.from_port is not None else -1
        rule_code = rule.to_port if rule.to_port is not None else -1
        return rule_type in (-1, header.icmp_type) and rule_code in (-1, header.icmp_code)
    return rule.protocol == str(PROTOCOL_NUMBERS.get(header.protocol))


def peer_matches(
    topology: Topology, rule: SecurityGroupRule, peer: IPv4Address, vpc_id: str
) -> bool:
    """Does the rule's source/destination cover ``peer``, seen from an ENI in ``vpc_id``?"""
    if rule.cidr is not None:
        return peer in rule.cidr
    if rule.group_id is not None:
        for eni in topology.enis_in_group(rule.group_id):
            if peer in eni.addresses and (
                eni.vpc_id == vpc_id or topology.peered(eni.vpc_id, vpc_id)
            ):
                return True
        return False
    return False  # prefix lists are kept but not resolved (later scope)


def evaluate_security_groups(
    topology: Topology,
    group_ids: tuple[str, ...],
    header: Header,
    direction: str,
    vpc_id: str,
    *,
    through_appliance: bool = False,
) -> SgDecision:
    """Evaluate a new connection against every group of an ENI (``ingress`` or ``egress``);
    ``through_appliance``: a middlebox forwarded it, so rules that reference a group do not
    match (see the module's docstring)."""
    groups = tuple(topology.security_groups[g] for g in group_ids if g in topology.security_groups)
    any_rule = False
    for group in groups:
        rules = _rules(group, direction)
        any_rule = any_rule or bool(rules)
        if through_appliance:
            rules = tuple(r for r in rules if r.group_id is None)
        rule = first_matching_rule(topology, rules, header, direction, vpc_id)
        if rule is not None:
            return SgDecision(True, direction, groups, "rule", group, rule)
    decision = SgDecision(False, direction, groups, "no-rule" if any_rule else "no-rules")
    if through_appliance:
        return _with_ignored_reference(topology, decision, header, vpc_id)
    return decision


def _rules(group: SecurityGroup, direction: str) -> tuple[SecurityGroupRule, ...]:
    return group.ingress if direction == "ingress" else group.egress


def _with_ignored_reference(
    topology: Topology, decision: SgDecision, header: Header, vpc_id: str
) -> SgDecision:
    """The refusal, naming the group reference that would have allowed the packet had it come
    straight from its sender (the evidence a learner needs to see the middlebox rule)."""
    for group in decision.groups:
        references = [r for r in _rules(group, decision.direction) if r.group_id is not None]
        rule = first_matching_rule(topology, references, header, decision.direction, vpc_id)
        if rule is not None:
            return replace(decision, ignored_group=group, ignored_rule=rule)
    return decision


def first_matching_rule(
    topology: Topology,
    rules: Iterable[SecurityGroupRule],
    header: Header,
    direction: str,
    vpc_id: str,
) -> SecurityGroupRule | None:
    """The first of ``rules`` (in the group's order) covering the header's protocol, port and
    peer: the one the console shows as the reason a group allows a connection."""
    peer = header.source_ip if direction == "ingress" else header.destination_ip
    for rule in rules:
        if protocol_matches(rule, header) and peer_matches(topology, rule, peer, vpc_id):
            return rule
    return None


def reply_decision(topology: Topology, group_ids: tuple[str, ...], direction: str) -> SgDecision:
    """Security groups are stateful: the reply of an allowed connection always passes."""
    groups = tuple(topology.security_groups[g] for g in group_ids if g in topology.security_groups)
    return SgDecision(True, direction, groups, "reply")
