"""Rules written as the AWS console writes them, e.g. ``100 TCP 22 0.0.0.0/0 ALLOW``."""

from __future__ import annotations

from .messages import Message, message, text
from .model import NetworkAclEntry, SecurityGroupRule

# A security group rule as the console's columns: type, protocol, port range, source. The type
# is a word the Japanese console translates (すべてのトラフィック, カスタム TCP); the protocol,
# ports and source stay as written, and so do the names of well-known ports (SSH, HTTP…).
text("rule.security_group", "{type} {protocol} {ports} {peer}")
text("rule.type.all_traffic", "All traffic")
text("rule.type.all_icmp", "All ICMP")
text("rule.type.icmp", "ICMP type {type}")
text("rule.type.custom", "Custom {protocol}")

NACL_PROTOCOLS = {"-1": "ALL", "6": "TCP", "17": "UDP", "1": "ICMP"}
PRESETS = {
    ("tcp", 22): "SSH",
    ("tcp", 80): "HTTP",
    ("tcp", 443): "HTTPS",
    ("tcp", 3306): "MySQL/Aurora",
    ("tcp", 5432): "PostgreSQL",
    ("tcp", 3389): "RDP",
}


def _ports(low: int | None, high: int | None) -> str:
    if low is None or (low == 0 and high == 65535):
        return "ALL"
    return str(low) if low == high else f"{low}-{high}"


def nacl_entry_label(entry: NetworkAclEntry) -> str:
    """``100 TCP 22 0.0.0.0/0 ALLOW``; the default rule is ``* ALL ALL 0.0.0.0/0 DENY``.

    >>> from ipaddress import IPv4Network
    >>> nacl_entry_label(NetworkAclEntry(100, False, "allow", "6", IPv4Network("0.0.0.0/0"),
    ...                  (22, 22)))
    '100 TCP 22 0.0.0.0/0 ALLOW'
    """
    number = "*" if entry.rule_number == 32767 else str(entry.rule_number)
    protocol = NACL_PROTOCOLS.get(entry.protocol, entry.protocol)
    if entry.protocol in ("6", "17"):
        ports = _ports(*entry.port_range) if entry.port_range else "ALL"
    else:
        ports = "ALL" if entry.protocol != "1" else "N/A"
    return f"{number} {protocol} {ports} {entry.cidr} {entry.rule_action.upper()}"


def sg_rule_words(rule: SecurityGroupRule) -> Message:
    """The rule's label as words to say in the reader's language (see ``sg_rule_label``)."""
    peer = str(rule.cidr) if rule.cidr is not None else (rule.group_id or rule.prefix_list_id or "")
    if rule.protocol == "-1":
        kind: Message | str = message("rule.type.all_traffic")
        protocol, ports = "ALL", "ALL"
    elif rule.protocol == "icmp":
        kind = (
            message("rule.type.all_icmp")
            if rule.from_port in (None, -1)
            else message("rule.type.icmp", type=rule.from_port)
        )
        protocol, ports = "ICMP", "ALL"
    else:
        same_port = rule.from_port is not None and rule.from_port == rule.to_port
        name = PRESETS.get((rule.protocol, rule.from_port or 0)) if same_port else None
        protocol, ports = rule.protocol.upper(), _ports(rule.from_port, rule.to_port)
        kind = name or message("rule.type.custom", protocol=protocol)
    return message("rule.security_group", type=kind, protocol=protocol, ports=ports, peer=peer)


def sg_rule_label(rule: SecurityGroupRule) -> str:
    """``SSH TCP 22 0.0.0.0/0``, ``All traffic ALL ALL sg-…``, ``ICMP type 8 ICMP ALL …``.

    >>> from ipaddress import IPv4Network
    >>> sg_rule_label(SecurityGroupRule("-1", cidr=IPv4Network("10.0.0.0/16")))
    'All traffic ALL ALL 10.0.0.0/16'
    """
    return str(sg_rule_words(rule))
