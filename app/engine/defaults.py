"""What AWS creates implicitly: with a VPC its main route table, default NACL and default SG;
with an account-region its default DHCP options set."""

from __future__ import annotations

from ipaddress import IPv4Network

from .ids import IdFactory
from .model import (
    AMAZON_PROVIDED_DNS,
    DhcpConfiguration,
    NetworkAcl,
    NetworkAclEntry,
    Route,
    RouteTable,
    RouteTableAssociation,
    SecurityGroup,
    SecurityGroupRule,
    Vpc,
)

ANYWHERE = IPv4Network("0.0.0.0/0")
DEFAULT_DENY_RULE = 32767  # the "*" rule (VPC UG: vpc-network-acls)


def local_routes(vpc: Vpc) -> tuple[Route, ...]:
    """One ``local`` route per CIDR block of the VPC (VPC UG: VPC_Route_Tables)."""
    return tuple(
        Route(destination=block, target_type="local", target_id="local", origin="CreateRouteTable")
        for block in vpc.cidr_blocks
    )


def new_route_table(vpc: Vpc, ids: IdFactory, *, main: bool = False) -> RouteTable:
    associations = (
        (RouteTableAssociation(association_id=ids.new("route-table-association"), main=True),)
        if main
        else ()
    )
    return RouteTable(
        route_table_id=ids.new("route-table"),
        vpc_id=vpc.vpc_id,
        routes=local_routes(vpc),
        associations=associations,
    )


def deny_all_entries() -> tuple[NetworkAclEntry, ...]:
    """The ``*`` rules every NACL has: deny what no numbered rule matched."""
    return tuple(
        NetworkAclEntry(DEFAULT_DENY_RULE, egress, "deny", "-1", ANYWHERE)
        for egress in (False, True)
    )


def allow_all_entries() -> tuple[NetworkAclEntry, ...]:
    """Rule 100 allow all, both directions: what the default NACL adds to the ``*`` denies."""
    return tuple(NetworkAclEntry(100, egress, "allow", "-1", ANYWHERE) for egress in (False, True))


def new_network_acl(vpc: Vpc, ids: IdFactory, *, default: bool = False) -> NetworkAcl:
    """A default NACL allows everything; a new custom NACL denies everything (VPC UG)."""
    entries = allow_all_entries() + deny_all_entries() if default else deny_all_entries()
    return NetworkAcl(
        network_acl_id=ids.new("network-acl"),
        vpc_id=vpc.vpc_id,
        is_default=default,
        entries=tuple(sorted(entries, key=lambda e: (e.egress, e.rule_number))),
    )


ALLOW_ALL_OUTBOUND = SecurityGroupRule(protocol="-1", cidr=ANYWHERE)


def default_security_group(vpc: Vpc, ids: IdFactory) -> SecurityGroup:
    """Admits all traffic from its members, allows all outbound (VPC UG: default-security-group)."""
    group_id = ids.new("security-group")
    return SecurityGroup(
        group_id=group_id,
        group_name="default",
        vpc_id=vpc.vpc_id,
        description="default VPC security group",
        ingress=(SecurityGroupRule(protocol="-1", group_id=group_id),),
        egress=(ALLOW_ALL_OUTBOUND,),
    )


def default_configuration(region: str) -> DhcpConfiguration:
    """AWS's default DHCP options: ``<region>.compute.internal`` (``ec2.internal`` in us-east-1)
    and the Amazon DNS server (VPC UG: DHCPOptionSet; API_CreateDhcpOptions, domain-name).

    >>> default_configuration("ap-northeast-1")[0]
    ('domain-name', ('ap-northeast-1.compute.internal',))
    """
    domain = "ec2.internal" if region == "us-east-1" else f"{region}.compute.internal"
    return (("domain-name", (domain,)), ("domain-name-servers", (AMAZON_PROVIDED_DNS,)))
