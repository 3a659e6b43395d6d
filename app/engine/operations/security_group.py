"""Security group operations: create, delete, authorize and revoke rules in AWS's IpPermissions."""

from __future__ import annotations

import dataclasses
from typing import Any

from ..addressing import parse_cidr
from ..defaults import ALLOW_ALL_OUTBOUND
from ..explain import way
from ..messages import message, text
from ..model import SecurityGroup, SecurityGroupRule
from ..topology import Topology
from ._rules import parse_tags, refuse, require, within_quota

# What a learner reads when AWS refuses (ids for the engine catalog, English here).
text(
    "error.security_group.authorize.InvalidPermission.Duplicate",
    "The same permission must not appear multiple times in one request.",
)
text(
    "error.security_group.authorize.InvalidPermission.Duplicate.2",
    "{group_id} already has this {way} rule.",
)
text(
    "error.security_group.create_security_group.InvalidGroup.Duplicate",
    "The security group '{name}' already exists in {vpc_id}.",
)
text(
    "error.security_group.create_security_group.InvalidParameterValue",
    "A security group needs a name of 1 to 255 characters.",
)
text(
    "error.security_group.create_security_group.InvalidParameterValue.2",
    "The name 'default' belongs to the VPC's default security group.",
)
text(
    "error.security_group.create_security_group.InvalidParameterValue.3",
    "A security group name cannot start with 'sg-'.",
)
text(
    "error.security_group.create_security_group.InvalidParameterValue.4",
    "A description is at most 255 characters.",
)
text(
    "error.security_group.create_security_group.MissingParameter",
    "A security group needs a description (GroupDescription), e.g. 'SSH from my PC'.",
)
text(
    "error.security_group.delete_security_group.CannotDelete",
    "{group_id} is the default security group of {vpc_id}; it is deleted with the VPC.",
)
text(
    "error.security_group.delete_security_group.DependencyViolation",
    "{group_id} is still used by {items}.",
)
text(
    "error.security_group.delete_security_group.DependencyViolation.2",
    "{group_id} is referenced by rules of {items}.",
)
text(
    "error.security_group.parse_permissions.InvalidGroup.NotFound",
    "{group_id} is in {vpc_id}; a rule can only name a group of the same VPC or of a peered VPC.",
)
text("error.security_group.parse_permissions.InvalidParameterValue", "A permission is an object.")
text("error.security_group.parse_permissions.InvalidParameterValue.2", "IpRanges are objects.")
text(
    "error.security_group.parse_permissions.InvalidParameterValue.3",
    "UserIdGroupPairs are objects.",
)
text(
    "error.security_group.parse_permissions.MissingParameter",
    "Give at least one permission (IpProtocol, ports and a source or destination).",
)
text(
    "error.security_group.parse_permissions.MissingParameter.2",
    "Each permission needs a source or destination: a CIDR (IpRanges) or a security group "
    "(UserIdGroupPairs).",
)
text(
    "error.security_group.protocol_and_ports.InvalidParameterValue",
    "'{raw}' is not a protocol: use tcp, udp, icmp, -1 (all) or a number.",
)
text(
    "error.security_group.protocol_and_ports.InvalidParameterValue.2",
    "FromPort {low} is greater than ToPort {high}.",
)
text(
    "error.security_group.protocol_and_ports.InvalidParameterValue.3",
    "{protocol} rules need FromPort and ToPort from 0 to 65535.",
)
text(
    "error.security_group.protocol_and_ports.InvalidParameterValue.4",
    "ICMP type and code are -1 (any) or 0 to 255.",
)
text("error.security_group.revoke.InvalidPermission.NotFound", "{group_id} has no such {way} rule.")

PROTOCOL_ALIASES = {
    "tcp": "tcp",
    "6": "tcp",
    "udp": "udp",
    "17": "udp",
    "icmp": "icmp",
    "1": "icmp",
    "-1": "-1",
    "all": "-1",
}


def create_security_group(
    topology: Topology, *, group_name: str, description: str, vpc_id: str, tags: Any = None
) -> SecurityGroup:
    """A new group: no inbound rule, one outbound allow-all (VPC UG: security-group-rules)."""
    topology.get("vpc", vpc_id)
    name = (group_name or "").strip()
    require(
        0 < len(name) <= 255,
        "InvalidParameterValue",
        message("error.security_group.create_security_group.InvalidParameterValue"),
    )
    require(
        name.lower() != "default",
        "InvalidParameterValue",
        message("error.security_group.create_security_group.InvalidParameterValue.2"),
    )
    require(
        not name.lower().startswith("sg-"),
        "InvalidParameterValue",
        message("error.security_group.create_security_group.InvalidParameterValue.3"),
    )
    # GroupDescription is a required parameter of CreateSecurityGroup ("Required: Yes"), and a
    # request without one is answered MissingParameter:
    # https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html
    # https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
    require(
        bool((description or "").strip()),
        "MissingParameter",
        message("error.security_group.create_security_group.MissingParameter"),
    )
    require(
        len(description) <= 255,
        "InvalidParameterValue",
        message("error.security_group.create_security_group.InvalidParameterValue.4"),
    )
    for sg in topology.security_groups.values():
        if sg.vpc_id == vpc_id and sg.group_name == name:
            raise refuse(
                "InvalidGroup.Duplicate",
                message(
                    "error.security_group.create_security_group.InvalidGroup.Duplicate",
                    name=name,
                    vpc_id=vpc_id,
                ),
            )
    within_quota("security_groups", len(topology.security_groups) + 1)
    sg = SecurityGroup(
        group_id=topology.ids.new("security-group"),
        group_name=name,
        vpc_id=vpc_id,
        description=description,
        egress=(ALLOW_ALL_OUTBOUND,),
        tags=parse_tags(tags),
    )
    return topology.put(sg)  # type: ignore[no-any-return]


def delete_security_group(topology: Topology, *, group_id: str) -> None:
    sg: SecurityGroup = topology.get("security-group", group_id)
    if sg.is_default:
        raise refuse(
            "CannotDelete",
            message(
                "error.security_group.delete_security_group.CannotDelete",
                group_id=group_id,
                vpc_id=sg.vpc_id,
            ),
        )
    users = [e.network_interface_id for e in topology.enis_in_group(group_id)]
    if users:
        raise refuse(
            "DependencyViolation",
            message(
                "error.security_group.delete_security_group.DependencyViolation",
                group_id=group_id,
                items=", ".join(users[:5]),
            ),
        )
    referrers = [
        g.group_id
        for g in topology.security_groups.values()
        if g.group_id != group_id and any(r.group_id == group_id for r in g.ingress + g.egress)
    ]
    if referrers:
        raise refuse(
            "DependencyViolation",
            message(
                "error.security_group.delete_security_group.DependencyViolation.2",
                group_id=group_id,
                items=", ".join(referrers[:5]),
            ),
        )
    topology.remove("security-group", group_id)


def protocol_and_ports(perm: dict[str, Any]) -> tuple[str, int | None, int | None]:
    """A permission's protocol as AWS prints it and its port range (ICMP: type and code),
    checked as AuthorizeSecurityGroupIngress checks them; the import uses the same check."""
    raw = str(perm.get("IpProtocol", "")).lower()
    protocol = PROTOCOL_ALIASES.get(raw)
    if protocol is None:
        require(
            raw.isdigit() and 0 <= int(raw) <= 255,
            "InvalidParameterValue",
            message("error.security_group.protocol_and_ports.InvalidParameterValue", raw=raw),
        )
        protocol = raw
    low: Any = perm.get("FromPort")
    high: Any = perm.get("ToPort")
    if protocol in ("tcp", "udp"):
        for value in (low, high):
            require(
                isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 65535,
                "InvalidParameterValue",
                message(
                    "error.security_group.protocol_and_ports.InvalidParameterValue.3",
                    protocol=protocol,
                ),
            )
        require(
            low <= high,
            "InvalidParameterValue",
            message(
                "error.security_group.protocol_and_ports.InvalidParameterValue.2",
                low=low,
                high=high,
            ),
        )
    elif protocol == "icmp":
        low = -1 if low is None else low
        high = -1 if high is None else high
        for value in (low, high):
            require(
                isinstance(value, int) and not isinstance(value, bool) and -1 <= value <= 255,
                "InvalidParameterValue",
                message("error.security_group.protocol_and_ports.InvalidParameterValue.4"),
            )
    else:
        low = high = None
    return protocol, low, high


def parse_permissions(
    topology: Topology, sg: SecurityGroup, permissions: Any
) -> list[SecurityGroupRule]:
    """AWS's ``IpPermissions`` list, validated, flattened to one rule per peer."""
    require(
        isinstance(permissions, list) and bool(permissions),
        "MissingParameter",
        message("error.security_group.parse_permissions.MissingParameter"),
    )
    rules: list[SecurityGroupRule] = []
    for perm in permissions:
        require(
            isinstance(perm, dict),
            "InvalidParameterValue",
            message("error.security_group.parse_permissions.InvalidParameterValue"),
        )
        protocol, low, high = protocol_and_ports(perm)
        peers: list[dict[str, Any]] = []
        for ip_range in perm.get("IpRanges") or []:
            require(
                isinstance(ip_range, dict),
                "InvalidParameterValue",
                message("error.security_group.parse_permissions.InvalidParameterValue.2"),
            )
            cidr = parse_cidr(ip_range.get("CidrIp"), code="InvalidParameterValue", what="CIDR")
            peers.append({"cidr": cidr, "description": ip_range.get("Description")})
        for pair in perm.get("UserIdGroupPairs") or []:
            require(
                isinstance(pair, dict),
                "InvalidParameterValue",
                message("error.security_group.parse_permissions.InvalidParameterValue.3"),
            )
            other = topology.get("security-group", str(pair.get("GroupId")))
            require(
                other.vpc_id == sg.vpc_id or topology.peered(other.vpc_id, sg.vpc_id),
                "InvalidGroup.NotFound",
                message(
                    "error.security_group.parse_permissions.InvalidGroup.NotFound",
                    group_id=other.group_id,
                    vpc_id=other.vpc_id,
                ),
            )
            peers.append({"group_id": other.group_id, "description": pair.get("Description")})
        require(
            bool(peers),
            "MissingParameter",
            message("error.security_group.parse_permissions.MissingParameter.2"),
        )
        for peer in peers:
            rules.append(SecurityGroupRule(protocol=protocol, from_port=low, to_port=high, **peer))
    return rules


def same_rule(a: SecurityGroupRule, b: SecurityGroupRule) -> bool:
    """Rules are the same when they differ at most in their description."""
    return dataclasses.replace(a, description=None) == dataclasses.replace(b, description=None)


def authorize(
    topology: Topology, *, group_id: str, ip_permissions: Any, egress: bool
) -> SecurityGroup:
    """AuthorizeSecurityGroupIngress/Egress; a repeated rule is ``InvalidPermission.Duplicate``."""
    sg: SecurityGroup = topology.get("security-group", group_id)
    new_rules = parse_permissions(topology, sg, ip_permissions)
    existing = sg.egress if egress else sg.ingress
    for index, rule in enumerate(new_rules):
        # EC2 refuses one call that names a rule twice: "The same permission must not appear
        # multiple times" (InvalidPermission.Duplicate), as it refuses an existing one.
        require(
            not any(same_rule(rule, other) for other in new_rules[:index]),
            "InvalidPermission.Duplicate",
            message("error.security_group.authorize.InvalidPermission.Duplicate"),
        )
        if any(same_rule(rule, old) for old in existing):
            raise refuse(
                "InvalidPermission.Duplicate",
                message(
                    "error.security_group.authorize.InvalidPermission.Duplicate.2",
                    group_id=group_id,
                    way=way(egress),
                ),
            )
    within_quota("rules_per_sg", len(existing) + len(new_rules))
    rules = existing + tuple(new_rules)
    updated = (
        dataclasses.replace(sg, egress=rules) if egress else dataclasses.replace(sg, ingress=rules)
    )
    return topology.put(updated)  # type: ignore[no-any-return]


def revoke(
    topology: Topology, *, group_id: str, ip_permissions: Any, egress: bool
) -> SecurityGroup:
    sg: SecurityGroup = topology.get("security-group", group_id)
    gone = parse_permissions(topology, sg, ip_permissions)
    existing = list(sg.egress if egress else sg.ingress)
    for rule in gone:
        match = next((old for old in existing if same_rule(rule, old)), None)
        if match is None:
            raise refuse(
                "InvalidPermission.NotFound",
                message(
                    "error.security_group.revoke.InvalidPermission.NotFound",
                    group_id=group_id,
                    way=way(egress),
                ),
            )
        existing.remove(match)
    updated = (
        dataclasses.replace(sg, egress=tuple(existing))
        if egress
        else dataclasses.replace(sg, ingress=tuple(existing))
    )
    return topology.put(updated)  # type: ignore[no-any-return]
