"""Network ACL operations: create, delete, numbered entries, and moving a subnet's association."""

from __future__ import annotations

import dataclasses
from typing import Any

from ..addressing import parse_cidr
from ..defaults import DEFAULT_DENY_RULE, new_network_acl
from ..explain import way
from ..messages import message, text
from ..model import NetworkAcl, NetworkAclAssociation, NetworkAclEntry
from ..topology import Topology
from ._rules import parse_tags, refuse, require, within_quota

# What a learner reads when AWS refuses (ids for the engine catalog, English here).
text(
    "error.network_acl._find.InvalidNetworkAclEntry.NotFound",
    "{network_acl_id} has no {way} rule number {rule_number}.",
)
text(
    "error.network_acl.associate_subnet_with_acl.InvalidParameterValue",
    "{network_acl_id} belongs to another VPC than {subnet_id}.",
)
text(
    "error.network_acl.create_network_acl_entry.NetworkAclEntryAlreadyExists",
    "{network_acl_id} already has an {way} rule number {rule_number}.",
)
text(
    "error.network_acl.delete_network_acl.DependencyViolation",
    "{network_acl_id} is still associated with {items}.",
)
text(
    "error.network_acl.delete_network_acl.InvalidParameterValue",
    "{network_acl_id} is the default network ACL of {vpc_id}; it is deleted with the VPC.",
)
text(
    "error.network_acl.delete_network_acl_entry.InvalidParameterValue",
    "The * rule (32767) cannot be deleted: it denies whatever no rule matched.",
)
text(
    "error.network_acl.parse_entry.InvalidParameterValue",
    "A rule number is a whole number from 1 to 32766 (32767 is the * rule).",
)
text("error.network_acl.parse_entry.InvalidParameterValue.2", "Egress must be true or false.")
text(
    "error.network_acl.parse_entry.InvalidParameterValue.3", "RuleAction must be 'allow' or 'deny'."
)
text(
    "error.network_acl.parse_entry.InvalidParameterValue.4",
    "'{protocol}' is not a protocol: use tcp, udp, icmp, -1 (all) or a number.",
)
text(
    "error.network_acl.parse_entry.InvalidParameterValue.5", "From {low} is greater than To {high}."
)
text("error.network_acl.parse_entry.InvalidParameterValue.6", "Port numbers run from 0 to 65535.")
text(
    "error.network_acl.parse_entry.InvalidParameterValue.7",
    "ICMP type and code are -1 (any) or 0 to 255.",
)
text(
    "error.network_acl.parse_entry.MissingParameter",
    "A network ACL entry needs the CIDR block it allows or denies (CidrBlock), e.g. "
    "203.0.113.5/32, or 0.0.0.0/0 for every address.",
)
text(
    "error.network_acl.parse_entry.MissingParameter.2",
    "TCP and UDP entries need a PortRange with From and To.",
)
text(
    "error.network_acl.replace_network_acl_association.InvalidAssociationID.NotFound",
    "The network ACL association '{association_id}' does not exist.",
)
text(
    "error.network_acl.replace_network_acl_association.InvalidParameterValue",
    "{network_acl_id} belongs to another VPC than {subnet_id}.",
)

PROTOCOL_NUMBERS = {
    "tcp": "6",
    "6": "6",
    "udp": "17",
    "17": "17",
    "icmp": "1",
    "1": "1",
    "-1": "-1",
    "all": "-1",
}


def create_network_acl(topology: Topology, *, vpc_id: str, tags: Any = None) -> NetworkAcl:
    """A custom NACL denies everything until entries are added (VPC UG: vpc-network-acls)."""
    vpc = topology.get("vpc", vpc_id)
    count = sum(1 for a in topology.network_acls.values() if a.vpc_id == vpc_id)
    within_quota("nacls_per_vpc", count + 1)
    acl = dataclasses.replace(new_network_acl(vpc, topology.ids), tags=parse_tags(tags))
    return topology.put(acl)  # type: ignore[no-any-return]


def delete_network_acl(topology: Topology, *, network_acl_id: str) -> None:
    acl: NetworkAcl = topology.get("network-acl", network_acl_id)
    require(
        not acl.is_default,
        "InvalidParameterValue",
        message(
            "error.network_acl.delete_network_acl.InvalidParameterValue",
            network_acl_id=network_acl_id,
            vpc_id=acl.vpc_id,
        ),
    )
    if acl.associations:
        raise refuse(
            "DependencyViolation",
            message(
                "error.network_acl.delete_network_acl.DependencyViolation",
                network_acl_id=network_acl_id,
                items=", ".join(a.subnet_id for a in acl.associations),
            ),
        )
    topology.remove("network-acl", network_acl_id)


def parse_entry(
    *,
    rule_number: Any,
    egress: Any,
    rule_action: Any,
    protocol: Any,
    cidr_block: Any,
    port_range: Any = None,
    icmp_type_code: Any = None,
) -> NetworkAclEntry:
    require(
        isinstance(rule_number, int)
        and not isinstance(rule_number, bool)
        and 1 <= rule_number <= 32766,
        "InvalidParameterValue",
        message("error.network_acl.parse_entry.InvalidParameterValue"),
    )
    require(
        isinstance(egress, bool),
        "InvalidParameterValue",
        message("error.network_acl.parse_entry.InvalidParameterValue.2"),
    )
    action = str(rule_action or "").lower()
    require(
        action in ("allow", "deny"),
        "InvalidParameterValue",
        message("error.network_acl.parse_entry.InvalidParameterValue.3"),
    )
    number = PROTOCOL_NUMBERS.get(str(protocol).lower())
    if number is None:
        require(
            str(protocol).isdigit() and 0 <= int(str(protocol)) <= 255,
            "InvalidParameterValue",
            message("error.network_acl.parse_entry.InvalidParameterValue.4", protocol=protocol),
        )
        number = str(protocol)
    # An entry names the addresses it applies to: CreateNetworkAclEntry and ReplaceNetworkAclEntry
    # take a CidrBlock or an Ipv6CidrBlock (not modelled), one of them required; nothing defaults
    # to 0.0.0.0/0. A required parameter left out is MissingParameter (EC2 error codes).
    # https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNetworkAclEntry.html
    # https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
    require(
        cidr_block is not None and str(cidr_block).strip() != "",
        "MissingParameter",
        message("error.network_acl.parse_entry.MissingParameter"),
    )
    cidr = parse_cidr(cidr_block, code="InvalidParameterValue", what="CIDR block")
    ports = None
    icmp = None
    if number in ("6", "17"):
        require(
            isinstance(port_range, dict),
            "MissingParameter",
            message("error.network_acl.parse_entry.MissingParameter.2"),
        )
        low, high = port_range.get("From"), port_range.get("To")
        for value in (low, high):
            require(
                isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 65535,
                "InvalidParameterValue",
                message("error.network_acl.parse_entry.InvalidParameterValue.6"),
            )
        require(
            low <= high,
            "InvalidParameterValue",
            message("error.network_acl.parse_entry.InvalidParameterValue.5", low=low, high=high),
        )
        ports = (low, high)
    elif number == "1":
        data = icmp_type_code if isinstance(icmp_type_code, dict) else {}
        icmp_type, icmp_code = data.get("Type", -1), data.get("Code", -1)
        for value in (icmp_type, icmp_code):
            require(
                isinstance(value, int) and -1 <= value <= 255,
                "InvalidParameterValue",
                message("error.network_acl.parse_entry.InvalidParameterValue.7"),
            )
        icmp = (icmp_type, icmp_code)
    return NetworkAclEntry(
        rule_number=rule_number,
        egress=egress,
        rule_action=action,
        protocol=number,
        cidr=cidr,
        port_range=ports,
        icmp_type_code=icmp,
    )


def _sorted(entries: list[NetworkAclEntry]) -> tuple[NetworkAclEntry, ...]:
    return tuple(sorted(entries, key=lambda e: (e.egress, e.rule_number)))


def create_network_acl_entry(
    topology: Topology, *, network_acl_id: str, **fields: Any
) -> NetworkAclEntry:
    """One numbered entry; the same number once per direction (VPC UG: vpc-network-acls)."""
    acl: NetworkAcl = topology.get("network-acl", network_acl_id)
    entry = parse_entry(**fields)
    same_way = [e for e in acl.entries if e.egress == entry.egress]
    if any(e.rule_number == entry.rule_number for e in same_way):
        raise refuse(
            "NetworkAclEntryAlreadyExists",
            message(
                "error.network_acl.create_network_acl_entry.NetworkAclEntryAlreadyExists",
                network_acl_id=network_acl_id,
                way=way(entry.egress),
                rule_number=entry.rule_number,
            ),
        )
    numbered = [e for e in same_way if e.rule_number != DEFAULT_DENY_RULE]
    within_quota("nacl_rules_per_direction", len(numbered) + 1)
    topology.put(dataclasses.replace(acl, entries=_sorted([*acl.entries, entry])))
    return entry


def _find(acl: NetworkAcl, rule_number: Any, egress: Any) -> NetworkAclEntry:
    for e in acl.entries:
        if e.rule_number == rule_number and e.egress == egress:
            return e
    raise refuse(
        "InvalidNetworkAclEntry.NotFound",
        message(
            "error.network_acl._find.InvalidNetworkAclEntry.NotFound",
            network_acl_id=acl.network_acl_id,
            way=way(egress),
            rule_number=rule_number,
        ),
    )


def replace_network_acl_entry(
    topology: Topology, *, network_acl_id: str, **fields: Any
) -> NetworkAclEntry:
    acl: NetworkAcl = topology.get("network-acl", network_acl_id)
    entry = parse_entry(**fields)
    old = _find(acl, entry.rule_number, entry.egress)
    entries = [entry if e is old else e for e in acl.entries]
    topology.put(dataclasses.replace(acl, entries=_sorted(entries)))
    return entry


def delete_network_acl_entry(
    topology: Topology, *, network_acl_id: str, rule_number: int, egress: bool
) -> None:
    acl: NetworkAcl = topology.get("network-acl", network_acl_id)
    require(
        rule_number != DEFAULT_DENY_RULE,
        "InvalidParameterValue",
        message("error.network_acl.delete_network_acl_entry.InvalidParameterValue"),
    )
    old = _find(acl, rule_number, egress)
    topology.put(dataclasses.replace(acl, entries=tuple(e for e in acl.entries if e is not old)))


def replace_network_acl_association(
    topology: Topology, *, association_id: str, network_acl_id: str
) -> NetworkAclAssociation:
    """Move a subnet to another NACL of its VPC; a subnet has exactly one NACL."""
    target: NetworkAcl = topology.get("network-acl", network_acl_id)
    for acl in topology.network_acls.values():
        for association in acl.associations:
            if association.association_id == association_id:
                subnet = topology.subnets[association.subnet_id]
                require(
                    subnet.vpc_id == target.vpc_id,
                    "InvalidParameterValue",
                    message(
                        "error.network_acl.replace_network_acl_association.InvalidParameterValue",
                        network_acl_id=network_acl_id,
                        subnet_id=subnet.subnet_id,
                    ),
                )
                moved = NetworkAclAssociation(
                    topology.ids.new("network-acl-association"), subnet.subnet_id
                )
                topology.put(
                    dataclasses.replace(
                        acl,
                        associations=tuple(
                            a for a in acl.associations if a.association_id != association_id
                        ),
                    )
                )
                target = topology.network_acls[network_acl_id]
                topology.put(
                    dataclasses.replace(target, associations=(*target.associations, moved))
                )
                return moved
    raise refuse(
        "InvalidAssociationID.NotFound",
        message(
            "error.network_acl.replace_network_acl_association.InvalidAssociationID.NotFound",
            association_id=association_id,
        ),
    )


def associate_subnet_with_acl(
    topology: Topology, *, network_acl_id: str, subnet_id: str
) -> NetworkAclAssociation:
    """What the console's "Edit subnet associations" does for a NACL."""
    subnet = topology.get("subnet", subnet_id)
    target: NetworkAcl = topology.get("network-acl", network_acl_id)
    require(
        subnet.vpc_id == target.vpc_id,
        "InvalidParameterValue",
        message(
            "error.network_acl.associate_subnet_with_acl.InvalidParameterValue",
            network_acl_id=network_acl_id,
            subnet_id=subnet_id,
        ),
    )
    for acl in topology.network_acls.values():
        for association in acl.associations:
            if association.subnet_id == subnet_id:
                return replace_network_acl_association(
                    topology,
                    association_id=association.association_id,
                    network_acl_id=network_acl_id,
                )
    association = NetworkAclAssociation(topology.ids.new("network-acl-association"), subnet_id)
    topology.put(dataclasses.replace(target, associations=(*target.associations, association)))
    return association
