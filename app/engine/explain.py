"""Suggested fixes written as a learner would type them into the console."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network

from .addressing import is_private
from .model import NetworkAcl
from .packet import Header
from .topology import Topology

EPHEMERAL_RANGE = (1024, 65535)  # what teaching material and NAT gateways use (VPC UG)


def peer_cidr(topology: Topology, address: IPv4Address) -> IPv4Network:
    """What a rule should name for ``address``: 0.0.0.0/0 for the internet, else its VPC block."""
    if not is_private(address):
        return IPv4Network("0.0.0.0/0")
    for vpc in topology.vpcs.values():
        for block in vpc.cidr_blocks:
            if address in block:
                return block
    return IPv4Network(f"{address}/32")


def free_rule_number(acl: NetworkAcl, egress: bool, below: int) -> int:
    """A rule number free in that direction, evaluated before ``below``: 100, 110, … if possible."""
    used = {e.rule_number for e in acl.entries if e.egress == egress}
    for candidate in range(100, below, 10):
        if candidate not in used:
            return candidate
    for candidate in range(below - 1, 0, -1):
        if candidate not in used:
            return candidate
    return 1


def traffic_words(header: Header, *, ephemeral: bool = False) -> str:
    """``tcp 22``, ``tcp 1024-65535``, ``icmp echo-reply``."""
    if header.protocol == "icmp":
        return {8: "icmp echo-request (type 8)", 0: "icmp echo-reply (type 0)"}.get(
            header.icmp_type or 0, f"icmp type {header.icmp_type}"
        )
    if ephemeral:
        return f"{header.protocol} {EPHEMERAL_RANGE[0]}-{EPHEMERAL_RANGE[1]}"
    return f"{header.protocol} {header.destination_port}"


def nacl_fix(
    topology: Topology,
    acl: NetworkAcl,
    header: Header,
    *,
    egress: bool,
    matched_rule: int,
    ephemeral: bool,
) -> str:
    number = free_rule_number(acl, egress, matched_rule)
    peer = header.destination_ip if egress else header.source_ip
    cidr = peer_cidr(topology, peer)
    direction, preposition = ("outbound", "to") if egress else ("inbound", "from")
    return (
        f"Add an {direction} rule to {acl.network_acl_id}: {number} ALLOW "
        f"{traffic_words(header, ephemeral=ephemeral)} {preposition} {cidr}"
    )


def sg_fix(topology: Topology, group_id: str, header: Header, *, direction: str) -> str:
    if direction == "ingress":
        cidr = _host_or_block(topology, header.source_ip)
        return f"Add an inbound rule to {group_id}: {traffic_words(header)} from {cidr}"
    cidr = peer_cidr(topology, header.destination_ip)
    return f"Add an outbound rule to {group_id}: {traffic_words(header)} to {cidr}"


def sg_fix_through_appliance(topology: Topology, group_id: str, header: Header) -> str:
    """Through a middlebox, allow the sender's subnet by CIDR, as the AWS guide says: "reference
    the private IP address of the other instance, or the CIDR range of the subnet that contains
    the other instance" (VPC UG: security-group-rules)."""
    subnet = next((s for s in topology.subnets.values() if header.source_ip in s.cidr_block), None)
    if subnet is None:
        return sg_fix(topology, group_id, header, direction="ingress")
    return (
        f"Add an inbound rule to {group_id}: {traffic_words(header)} from {subnet.cidr_block} "
        f"(the subnet {subnet.subnet_id} of the sender; a reference to its security group does "
        "not match traffic through an appliance)"
    )


def _host_or_block(topology: Topology, address: IPv4Address) -> IPv4Network:
    """An internet client is named exactly (``203.0.113.5/32``, "my IP"); a VPC peer by block."""
    if not is_private(address):
        return IPv4Network(f"{address}/32")
    return peer_cidr(topology, address)
