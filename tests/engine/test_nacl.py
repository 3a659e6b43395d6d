"""Network ACLs: lowest rule number first, first match decides, * denies the rest."""

from ipaddress import IPv4Address, IPv4Network

from app.engine.defaults import allow_all_entries, deny_all_entries
from app.engine.model import NetworkAcl, NetworkAclEntry
from app.engine.nacl import evaluate_nacl
from app.engine.packet import Header

ANY = IPv4Network("0.0.0.0/0")


def acl(*entries: NetworkAclEntry) -> NetworkAcl:
    return NetworkAcl("acl-1", "vpc-1", entries=(*entries, *deny_all_entries()))


def tcp(port: int, src: str = "203.0.113.5") -> Header:
    return Header(IPv4Address(src), IPv4Address("10.0.1.4"), "tcp", 49152, port)


def test_the_lowest_numbered_match_decides_whatever_the_order_given() -> None:
    table = acl(
        NetworkAclEntry(200, False, "allow", "6", ANY, (22, 22)),
        NetworkAclEntry(100, False, "deny", "6", IPv4Network("203.0.113.0/24"), (0, 65535)),
    )
    decision = evaluate_nacl(table, tcp(22), egress=False)
    assert not decision.allowed and decision.entry.rule_number == 100
    assert evaluate_nacl(table, tcp(22, src="198.51.100.1"), egress=False).allowed


def test_nothing_matching_falls_to_the_star_rule() -> None:
    decision = evaluate_nacl(
        acl(NetworkAclEntry(100, False, "allow", "6", ANY, (80, 80))), tcp(22), egress=False
    )
    assert decision.entry.rule_number == 32767 and not decision.allowed


def test_directions_are_separate() -> None:
    table = acl(NetworkAclEntry(100, True, "allow", "-1", ANY))
    assert not evaluate_nacl(table, tcp(22), egress=False).allowed
    assert evaluate_nacl(table, tcp(22), egress=True).allowed


def test_the_default_nacl_allows_everything() -> None:
    table = NetworkAcl("acl-d", "vpc-1", True, (*allow_all_entries(), *deny_all_entries()))
    icmp = Header(IPv4Address("1.2.3.4"), IPv4Address("10.0.0.9"), "icmp", icmp_type=8, icmp_code=0)
    assert evaluate_nacl(table, icmp, egress=False).allowed
    assert evaluate_nacl(table, tcp(5432), egress=True).allowed


def test_port_ranges_apply_to_the_destination_port() -> None:
    table = acl(NetworkAclEntry(100, True, "allow", "6", ANY, (1024, 65535)))
    reply = tcp(22).reply()  # source port 22, destination port 49152
    assert evaluate_nacl(table, reply, egress=True).allowed
