"""The conditions of a lab's state checks (docs/labs.md): per resource kind, the value each
condition takes and the test it makes on one resource.

"Public" is decided once, by ``is_public_subnet``: VPC UG "Subnets for your VPC" says a public
subnet has a direct route to an internet gateway; the lab's contract reads it as
the route table that serves the subnet (its explicit association, else the VPC's main table)
sending 0.0.0.0/0 to an internet gateway attached to the subnet's VPC.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network
from typing import Any

from .defaults import default_configuration
from .model import Instance, NetworkInterface
from .topology import Topology, resource_id

EVERYWHERE = IPv4Network("0.0.0.0/0")

# ---------------------------------------------------------------------------------------------
# Values: each parser returns the value to compare, or raises ValueError with what was expected


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("expected true or false")
    return value


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("expected a whole number, 0 or more")
    return value


def _prefix(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 32:
        raise ValueError("expected a prefix length, a whole number from 0 to 32")
    return value


def _cidr(value: Any) -> IPv4Network:
    if not isinstance(value, str):
        raise ValueError("expected a CIDR block written as a string such as 10.0.0.0/16")
    try:
        return IPv4Network(value.strip())
    except ValueError:
        raise ValueError(
            f"expected a CIDR block such as 10.0.0.0/16 (no host bits set), got '{value}'"
        ) from None


def _ipv4(value: Any) -> IPv4Address:
    if not isinstance(value, str):
        raise ValueError("expected an IPv4 address written as a string such as 10.0.1.11")
    try:
        return IPv4Address(value.strip())
    except ValueError:
        raise ValueError(f"expected an IPv4 address such as 10.0.1.11, got '{value}'") from None


def _side(value: Any) -> str:
    if value not in ("public", "private"):
        raise ValueError("expected public or private")
    return str(value)


def _private_only(value: Any) -> str:
    if value != "private":
        raise ValueError(
            "expected private (a public subnet's table sends 0.0.0.0/0 to the internet "
            "gateway, never to a NAT gateway)"
        )
    return str(value)


def _name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected a name written as a string")
    return value.strip()


# ---------------------------------------------------------------------------------------------
# Facts about resources


def is_public_subnet(topology: Topology, subnet_id: str) -> bool:
    """Does the table serving the subnet send 0.0.0.0/0 to an IGW attached to its VPC?

    VPC UG, Subnets for your VPC (configure-subnets.html, subnet types): a public subnet has a
    direct route to an internet gateway.

    >>> # default VPC: every default subnet is public (main table 0.0.0.0/0 -> igw)
    """
    subnet = topology.subnets.get(subnet_id)
    rtb = topology.route_table_for(subnet_id)
    if subnet is None or rtb is None:
        return False
    for route in rtb.routes:
        if route.destination == EVERYWHERE and route.target_type == "internet-gateway":
            igw = topology.internet_gateways.get(route.target_id)
            if igw is not None and igw.vpc_id == subnet.vpc_id:
                return True
    return False


def _side_of(topology: Topology, subnet_id: str) -> str:
    return "public" if is_public_subnet(topology, subnet_id) else "private"


def _secondary_count(enis: Iterable[NetworkInterface]) -> int:
    return sum(1 for eni in enis for ip in eni.private_ip_addresses if not ip.primary)


def _has_public_ip(topology: Topology, enis: Iterable[NetworkInterface]) -> bool:
    return any(topology.public_ip_of(eni, address) for eni in enis for address in eni.addresses)


def _has_eip(topology: Topology, eni: NetworkInterface) -> bool:
    return any(
        eip.network_interface_id == eni.network_interface_id for eip in topology.addresses.values()
    )


def _routed_from_private(topology: Topology, nat_id: str, vpc_id: str) -> bool:
    for subnet in topology.subnets_of(vpc_id):
        rtb = topology.route_table_for(subnet.subnet_id)
        if rtb is not None and any(
            r.destination == EVERYWHERE and r.target_id == nat_id for r in rtb.routes
        ):
            return True
    return False


def _instance_enis(topology: Topology, instance: Instance) -> list[NetworkInterface]:
    return topology.enis_of_instance(instance.instance_id)


# ---------------------------------------------------------------------------------------------
# The table

Test = Callable[[Topology, Any, Any], bool]  # (topology, resource, parsed value) -> met?


@dataclass(frozen=True)
class Condition:
    parse: Callable[[Any], Any]
    test: Test


@dataclass(frozen=True)
class Kind:
    """A kind a state check counts: which resources it ranges over, and its conditions."""

    resources: Callable[[Topology], list[Any]]
    conditions: dict[str, Condition]


def _is(parse: Callable[[Any], Any], fact: Callable[[Topology, Any], Any]) -> Condition:
    """A condition met when the resource's fact equals the value."""
    return Condition(parse, lambda t, r, v: fact(t, r) == v)


def _at_least(fact: Callable[[Topology, Any], int]) -> Condition:
    return Condition(_count, lambda t, r, v: fact(t, r) >= v)


# A NAT gateway that is deleted (or failed) is no longer one; a terminated instance neither.
LIVE_NAT_STATES = ("pending", "available")

INSTANCE_CONDITIONS = {
    "subnet": _is(_side, lambda t, i: _side_of(t, i.subnet_id)),
    "running": _is(_bool, lambda t, i: i.state == "running"),
    "public_ip": _is(_bool, lambda t, i: _has_public_ip(t, _instance_enis(t, i))),
    "private_ip": Condition(
        _ipv4, lambda t, i, v: any(v in e.addresses for e in _instance_enis(t, i))
    ),
    "secondary_ips": _at_least(lambda t, i: _secondary_count(_instance_enis(t, i))),
}

KINDS: dict[str, Kind] = {
    "vpc": Kind(
        lambda t: list(t.vpcs.values()),
        {
            "default": _is(_bool, lambda t, v: v.is_default),
            "cidr": Condition(_cidr, lambda t, vpc, v: v in vpc.cidr_blocks),
            "prefix": _is(_prefix, lambda t, v: v.cidr_block.prefixlen),
            # The VPC's two DNS attributes (VPC UG: "DNS attributes for your VPC"):
            # enableDnsSupport (on by default) and enableDnsHostnames (off in a VPC you create).
            "dns_support": _is(_bool, lambda t, v: v.enable_dns_support),
            "dns_hostnames": _is(_bool, lambda t, v: v.enable_dns_hostnames),
        },
    ),
    "subnet": Kind(
        lambda t: list(t.subnets.values()),
        {
            "public": _is(_bool, lambda t, s: is_public_subnet(t, s.subnet_id)),
            "prefix": _is(_prefix, lambda t, s: s.cidr_block.prefixlen),
            "cidr": _is(_cidr, lambda t, s: s.cidr_block),
            "az": _is(_name, lambda t, s: s.availability_zone),
            # Decided over the matching subnets together (checks.py), not per subnet.
            "distinct_azs": Condition(_count, lambda t, s, v: True),
            "default": _is(
                _bool, lambda t, s: bool(t.vpcs.get(s.vpc_id) and t.vpcs[s.vpc_id].is_default)
            ),
        },
    ),
    "internet_gateway": Kind(
        lambda t: list(t.internet_gateways.values()),
        {"attached": _is(_bool, lambda t, g: g.vpc_id is not None)},
    ),
    "nat_gateway": Kind(
        lambda t: [n for n in t.nat_gateways.values() if n.state in LIVE_NAT_STATES],
        {
            "subnet": _is(_side, lambda t, n: _side_of(t, n.subnet_id)),
            "routed_from": Condition(
                _private_only, lambda t, n, v: _routed_from_private(t, n.nat_gateway_id, n.vpc_id)
            ),
            "elastic_ip": _is(_bool, lambda t, n: n.public_ip is not None),
        },
    ),
    "network_acl": Kind(
        lambda t: list(t.network_acls.values()),
        {
            "default": _is(_bool, lambda t, a: a.is_default),
            "associated": _is(
                _bool,
                lambda t, a: any(
                    (served := t.network_acl_for(s)) is not None
                    and served.network_acl_id == a.network_acl_id
                    for s in t.subnets
                ),
            ),
        },
    ),
    # The interfaces a learner makes and attaches; those AWS manages for a NAT gateway are not.
    "network_interface": Kind(
        lambda t: [e for e in t.network_interfaces.values() if not e.requester_managed],
        {
            "private_ip": Condition(_ipv4, lambda t, e, v: v in e.addresses),
            "secondary_ips": _at_least(lambda t, e: _secondary_count([e])),
            "attached": _is(_bool, lambda t, e: e.attachment is not None),
            "elastic_ip": _is(_bool, _has_eip),
            "subnet": _is(_side, lambda t, e: _side_of(t, e.subnet_id)),
        },
    ),
    "elastic_ip": Kind(
        lambda t: list(t.addresses.values()),
        {
            "associated": _is(_bool, lambda t, a: a.network_interface_id is not None),
            "private_ip": _is(_ipv4, lambda t, a: a.private_ip),
        },
    ),
    "instance": Kind(
        lambda t: [i for i in t.instances.values() if i.state != "terminated"],
        INSTANCE_CONDITIONS,
    ),
    "dhcp_options": Kind(
        lambda t: list(t.dhcp_options.values()),
        {
            "domain_name_servers": Condition(
                _name, lambda t, d, v: v in d.values("domain-name-servers")
            ),
            "domain_name": _is(_name, lambda t, d: d.domain_name),
            # The region's default options (domain-name <region>.compute.internal,
            # AmazonProvidedDNS): what a new VPC gets (VPC UG: "DHCP option sets").
            "default": _is(_bool, lambda t, d: d.configurations == default_configuration(t.region)),
            "associated": _is(
                _bool,
                lambda t, d: any(v.dhcp_options_id == d.dhcp_options_id for v in t.vpcs.values()),
            ),
        },
    ),
    "security_group": Kind(
        lambda t: list(t.security_groups.values()),
        {
            "default": _is(_bool, lambda t, g: g.is_default),
            "attached": _is(_bool, lambda t, g: bool(t.enis_in_group(g.group_id))),
        },
    ),
}


def matching(topology: Topology, kind: str, conditions: Mapping[str, Any]) -> list[Any]:
    """The resources of ``kind`` meeting every (parsed) condition, in id order."""
    spec = KINDS[kind]
    found = [
        resource
        for resource in spec.resources(topology)
        if all(spec.conditions[name].test(topology, resource, v) for name, v in conditions.items())
    ]
    return sorted(found, key=resource_id)
