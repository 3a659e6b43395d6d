"""Suggested fixes written as a learner would type them into the console."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network

from .addressing import is_private
from .messages import Message, message, text
from .model import NetworkAcl
from .packet import Header
from .topology import Topology

EPHEMERAL_RANGE = (1024, 65535)  # what teaching material and NAT gateways use (VPC UG)

text("word.inbound", "inbound")
text("word.outbound", "outbound")
text("traffic.echo_request", "icmp echo-request (type 8)")
text("traffic.echo_reply", "icmp echo-reply (type 0)")
text("traffic.icmp_type", "icmp type {type}")
text("traffic.port", "{protocol} {port}")
text("fix.nacl.inbound", "Add an inbound rule to {acl}: {number} ALLOW {traffic} from {cidr}")
text("fix.nacl.outbound", "Add an outbound rule to {acl}: {number} ALLOW {traffic} to {cidr}")
text("fix.security_group.inbound", "Add an inbound rule to {group}: {traffic} from {cidr}")
text("fix.security_group.outbound", "Add an outbound rule to {group}: {traffic} to {cidr}")
text(
    "fix.security_group.through_appliance",
    "Add an inbound rule to {group}: {traffic} from {cidr} (the subnet {subnet} of the sender; "
    "a reference to its security group does not match traffic through an appliance)",
)


def way(egress: bool) -> Message:
    """``outbound`` or ``inbound``, as a word to translate."""
    return message("word.outbound" if egress else "word.inbound")


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


def traffic_words(header: Header, *, ephemeral: bool = False) -> Message:
    """``tcp 22``, ``tcp 1024-65535``, ``icmp echo-reply``."""
    if header.protocol == "icmp":
        named = {8: "traffic.echo_request", 0: "traffic.echo_reply"}.get(header.icmp_type or 0)
        return message(named) if named else message("traffic.icmp_type", type=header.icmp_type)
    if ephemeral:
        port = f"{EPHEMERAL_RANGE[0]}-{EPHEMERAL_RANGE[1]}"
        return message("traffic.port", protocol=header.protocol, port=port)
    return message("traffic.port", protocol=header.protocol, port=header.destination_port)


def nacl_fix(
    topology: Topology,
    acl: NetworkAcl,
    header: Header,
    *,
    egress: bool,
    matched_rule: int,
    ephemeral: bool,
) -> Message:
    number = free_rule_number(acl, egress, matched_rule)
    peer = header.destination_ip if egress else header.source_ip
    return message(
        "fix.nacl.outbound" if egress else "fix.nacl.inbound",
        acl=acl.network_acl_id,
        number=number,
        traffic=traffic_words(header, ephemeral=ephemeral),
        cidr=peer_cidr(topology, peer),
    )


def sg_fix(topology: Topology, group_id: str, header: Header, *, direction: str) -> Message:
    traffic = traffic_words(header)
    if direction == "ingress":
        cidr = _host_or_block(topology, header.source_ip)
        return message("fix.security_group.inbound", group=group_id, traffic=traffic, cidr=cidr)
    cidr = peer_cidr(topology, header.destination_ip)
    return message("fix.security_group.outbound", group=group_id, traffic=traffic, cidr=cidr)


def sg_fix_through_appliance(topology: Topology, group_id: str, header: Header) -> Message:
    """Through a middlebox, allow the sender's subnet by CIDR, as the AWS guide says: "reference
    the private IP address of the other instance, or the CIDR range of the subnet that contains
    the other instance" (VPC UG: security-group-rules)."""
    subnet = next((s for s in topology.subnets.values() if header.source_ip in s.cidr_block), None)
    if subnet is None:
        return sg_fix(topology, group_id, header, direction="ingress")
    return message(
        "fix.security_group.through_appliance",
        group=group_id,
        traffic=traffic_words(header),
        cidr=subnet.cidr_block,
        subnet=subnet.subnet_id,
    )


def _host_or_block(topology: Topology, address: IPv4Address) -> IPv4Network:
    """An internet client is named exactly (``203.0.113.5/32``, "my IP"); a VPC peer by block."""
    if not is_private(address):
        return IPv4Network(f"{address}/32")
    return peer_cidr(topology, address)
