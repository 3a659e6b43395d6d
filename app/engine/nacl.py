"""Network ACLs: numbered, stateless rules per subnet; the lowest-numbered match decides.

Source: VPC UG vpc-network-acls ("rules are evaluated in order, starting with the lowest
numbered rule"; "stateless"; the ``*`` rule denies what nothing matched).
"""

from __future__ import annotations

from dataclasses import dataclass

from .defaults import ANYWHERE, DEFAULT_DENY_RULE
from .model import NetworkAcl, NetworkAclEntry
from .packet import Header

IMPLICIT_DENY = {
    False: NetworkAclEntry(DEFAULT_DENY_RULE, False, "deny", "-1", ANYWHERE),
    True: NetworkAclEntry(DEFAULT_DENY_RULE, True, "deny", "-1", ANYWHERE),
}


@dataclass(frozen=True)
class NaclDecision:
    """Evidence of a NACL evaluation: the entry that matched (the ``*`` rule when none did)."""

    acl: NetworkAcl
    egress: bool
    entry: NetworkAclEntry

    @property
    def allowed(self) -> bool:
        return self.entry.rule_action == "allow"


def entry_matches(entry: NetworkAclEntry, header: Header) -> bool:
    peer = header.destination_ip if entry.egress else header.source_ip
    if peer not in entry.cidr:
        return False
    if entry.protocol == "-1":
        return True
    if entry.protocol != str(header.protocol_number):
        return False
    if header.protocol in ("tcp", "udp"):
        if entry.port_range is None:
            return True
        port = header.destination_port
        return port is not None and entry.port_range[0] <= port <= entry.port_range[1]
    if header.protocol == "icmp" and entry.icmp_type_code is not None:
        icmp_type, icmp_code = entry.icmp_type_code
        return icmp_type in (-1, header.icmp_type) and icmp_code in (-1, header.icmp_code)
    return True


def evaluate_nacl(acl: NetworkAcl, header: Header, *, egress: bool) -> NaclDecision:
    """The first entry, by rule number, of that direction that matches the header."""
    for entry in sorted(
        (e for e in acl.entries if e.egress == egress), key=lambda e: e.rule_number
    ):
        if entry_matches(entry, header):
            return NaclDecision(acl, egress, entry)
    return NaclDecision(acl, egress, IMPLICIT_DENY[egress])
