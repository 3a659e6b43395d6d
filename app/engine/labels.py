"""Rules written as the AWS console writes them, e.g. ``100 TCP 22 0.0.0.0/0 ALLOW``."""

from __future__ import annotations

from .model import NetworkAclEntry, SecurityGroupRule

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


def sg_rule_label(rule: SecurityGroupRule) -> str:
    """``SSH TCP 22 0.0.0.0/0``, ``All traffic ALL ALL sg-…``, ``ICMP echo request``…"""
    peer = str(rule.cidr) if rule.cidr is not None else (rule.group_id or rule.prefix_list_id or "")
    if rule.protocol == "-1":
        return f"All traffic ALL ALL {peer}"
    if rule.protocol == "icmp":
        kind = "All ICMP" if rule.from_port in (None, -1) else f"ICMP type {rule.from_port}"
        return f"{kind} ICMP ALL {peer}"
    same_port = rule.from_port is not None and rule.from_port == rule.to_port
    name = PRESETS.get((rule.protocol, rule.from_port or 0)) if same_port else None
    kind = name or f"Custom {rule.protocol.upper()}"
    return f"{kind} {rule.protocol.upper()} {_ports(rule.from_port, rule.to_port)} {peer}"
