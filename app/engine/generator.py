"""Realistic topologies of any size, seeded and deterministic, for benchmarks and scale tests.

Tiers (issue 5): S (1 VPC, 6 subnets, 50 ENIs); M (3 VPCs, 60 subnets, 500 ENIs, 150 SGs,
peering); L (5 VPCs, 500 subnets, 5,000 ENIs, 1,500 SGs of ~15 inbound rules with 20% SG
references, 250 route tables, 100 NACLs, 15 NAT gateways, 10 peerings); Q (quota-max stress:
20,000 ENIs, SGs at 1,000 rules, route tables with 1,000 routes). Built straight as model
objects (quotas are per-account settings a real account can raise), then written with the one
describe-* conversion.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

from .defaults import ALLOW_ALL_OUTBOUND, allow_all_entries, deny_all_entries
from .ids import IdFactory
from .model import (
    Attachment,
    Instance,
    InternetGateway,
    NatGateway,
    NetworkAcl,
    NetworkAclAssociation,
    NetworkAclEntry,
    NetworkInterface,
    PrivateIpAddress,
    Route,
    RouteTable,
    RouteTableAssociation,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
    Vpc,
    VpcPeeringConnection,
)
from .operations.dhcp_options import default_set_for_new_vpc
from .regions import PUBLIC_POOL, availability_zones
from .topology import Topology


@dataclass(frozen=True)
class Tier:
    name: str
    vpcs: int
    subnets: int
    enis: int
    security_groups: int
    rules_per_group: int
    route_tables: int
    nacls: int
    nat_gateways: int
    peerings: int
    routes_per_table: int = 0


TIERS = {
    "S": Tier("S", 1, 6, 50, 12, 6, 3, 2, 1, 0),
    "M": Tier("M", 3, 60, 500, 150, 10, 30, 12, 3, 2),
    "L": Tier("L", 5, 500, 5000, 1500, 15, 250, 100, 15, 10),
    "Q": Tier("Q", 5, 1000, 20000, 500, 1000, 100, 50, 20, 10, routes_per_table=1000),
}

COMMON_PORTS = (22, 80, 443, 3306, 5432, 6379, 8080, 8443, 9200, 27017)
PUBLIC_SOURCES = ("0.0.0.0/0", "203.0.113.0/24", "198.51.100.0/24", "192.0.2.10/32", "52.0.0.0/8")


def generate(tier_name: str, *, seed: int = 7, region: str = "ap-northeast-1") -> Topology:
    """A topology of the tier, the same for the same seed."""
    tier = TIERS[tier_name]
    rng = random.Random(seed)
    topology = Topology(region=region, ids=IdFactory(seed=seed))
    ids = topology.ids
    zones = availability_zones(region)
    dhcp_options_id = default_set_for_new_vpc(topology)
    vpcs = []
    for v in range(tier.vpcs):
        vpc = Vpc(
            ids.new("vpc"),
            # A /16 (AWS's largest VPC) holds 256 /24 subnets: every tier's share fits.
            (IPv4Network(f"10.{v}.0.0/16"),),
            (ids.new("vpc-cidr-association"),),
            dhcp_options_id=dhcp_options_id,
            tags=(("Name", f"{tier.name}-vpc-{v}"),),
        )
        topology.put(vpc)
        vpcs.append(vpc)
        igw = InternetGateway(ids.new("internet-gateway"), vpc.vpc_id, tags=(("Name", f"igw-{v}"),))
        topology.put(igw)
    # Subnets, spread over the VPCs and AZs; one in four is public, and the public ones rotate
    # through the AZs too (so NAT gateways stay within AWS's five per AZ).
    subnets: list[Subnet] = []
    for s in range(tier.subnets):
        vpc = vpcs[s % tier.vpcs]
        index = s // tier.vpcs
        network = IPv4Network((int(vpc.cidr_block.network_address) + index * 256, 24))
        public = index % 4 == 0
        subnet = Subnet(
            ids.new("subnet"),
            vpc.vpc_id,
            network,
            zones[(index + index // 4) % len(zones)],
            map_public_ip_on_launch=public,
            tags=(("Name", f"{'public' if public else 'private'}-{s}"),),
        )
        topology.put(subnet)
        subnets.append(subnet)
    # Security groups with realistic rules: common ports from public ranges, the VPC block,
    # or another group (20%).
    groups: list[SecurityGroup] = []
    for g in range(tier.security_groups):
        vpc = vpcs[g % tier.vpcs]
        groups.append(
            SecurityGroup(
                ids.new("security-group"),
                f"sg-{g}",
                vpc.vpc_id,
                f"tier {tier.name} group {g}",
                egress=(ALLOW_ALL_OUTBOUND,),
            )
        )
    by_vpc: dict[str, list[SecurityGroup]] = {}
    for group in groups:
        by_vpc.setdefault(group.vpc_id, []).append(group)
    for n, group in enumerate(groups):
        rules: list[SecurityGroupRule] = []
        seen: set[SecurityGroupRule] = set()
        for _ in range(tier.rules_per_group):
            port = (
                rng.choice(COMMON_PORTS) if tier.rules_per_group < 100 else rng.randrange(1, 65535)
            )
            roll = rng.random()
            if roll < 0.2 and len(by_vpc[group.vpc_id]) > 1:
                rule = SecurityGroupRule(
                    "tcp", port, port, group_id=rng.choice(by_vpc[group.vpc_id]).group_id
                )
            elif roll < 0.6:
                rule = SecurityGroupRule(
                    "tcp", port, port, cidr=IPv4Network(rng.choice(PUBLIC_SOURCES))
                )
            else:
                vpc_block = topology.vpcs[group.vpc_id].cidr_block
                rule = SecurityGroupRule(rng.choice(("tcp", "udp")), port, port, cidr=vpc_block)
            if rule not in seen:
                seen.add(rule)
                rules.append(rule)
        if n % 7 == 0:
            rules.append(SecurityGroupRule("icmp", -1, -1, cidr=IPv4Network("0.0.0.0/0")))
        groups[n] = SecurityGroup(
            group.group_id,
            group.group_name,
            group.vpc_id,
            group.description,
            tuple(rules),
            group.egress,
        )
    for group in groups:
        topology.put(group)
    for vpc in vpcs:
        default_id = ids.new("security-group")
        topology.put(
            SecurityGroup(
                default_id,
                "default",
                vpc.vpc_id,
                "default VPC security group",
                (SecurityGroupRule("-1", group_id=default_id),),
                (ALLOW_ALL_OUTBOUND,),
            )
        )
    # ENIs (most with an instance), lowest addresses of their subnets; some public.
    pool = iter(IPv4Address(int(PUBLIC_POOL.network_address) + 1 + i) for i in range(10**6))
    next_host: dict[str, int] = {}
    enis: list[NetworkInterface] = []
    for e in range(tier.enis):
        subnet = subnets[rng.randrange(len(subnets))]
        host = next_host.get(subnet.subnet_id, 4)
        if host >= subnet.cidr_block.num_addresses - 1:
            subnet = min(subnets, key=lambda s: next_host.get(s.subnet_id, 4))
            host = next_host.get(subnet.subnet_id, 4)
        next_host[subnet.subnet_id] = host + 1
        address = subnet.cidr_block.network_address + host
        vpc_groups = by_vpc.get(subnet.vpc_id) or []
        chosen = tuple(
            dict.fromkeys(
                g.group_id
                for g in rng.sample(vpc_groups, k=min(len(vpc_groups), rng.randint(1, 3)))
            )
        )
        public_ip = next(pool) if subnet.map_public_ip_on_launch and rng.random() < 0.6 else None
        eni_id = ids.new("network-interface")
        with_instance = rng.random() < 0.9
        instance_id = ids.new("instance") if with_instance else None
        eni = NetworkInterface(
            eni_id,
            subnet.subnet_id,
            subnet.vpc_id,
            subnet.availability_zone,
            (PrivateIpAddress(address, True, public_ip),),
            chosen,
            attachment=Attachment(ids.new("eni-attachment"), 0, instance_id)
            if instance_id
            else None,
            mac_address="02:" + ":".join(eni_id[-10:][i : i + 2] for i in range(0, 10, 2)),
        )
        topology.put(eni)
        enis.append(eni)
        if instance_id:
            topology.put(
                Instance(
                    instance_id,
                    subnet.subnet_id,
                    subnet.vpc_id,
                    state="running" if rng.random() < 0.95 else "stopped",
                    availability_zone=subnet.availability_zone,
                    reservation_id=ids.new("reservation"),
                    associate_public_ip=public_ip is not None,
                    tags=(("Name", f"host-{e}"),),
                )
            )
    # NAT gateways in public subnets.
    nats: dict[str, list[NatGateway]] = {}
    public_subnets = [s for s in subnets if s.map_public_ip_on_launch]
    for n in range(tier.nat_gateways):
        subnet = public_subnets[n % len(public_subnets)]
        host = next_host.get(subnet.subnet_id, 4)
        next_host[subnet.subnet_id] = host + 1
        private = subnet.cidr_block.network_address + host
        eni = NetworkInterface(
            ids.new("network-interface"),
            subnet.subnet_id,
            subnet.vpc_id,
            subnet.availability_zone,
            (PrivateIpAddress(private, True),),
            source_dest_check=False,
            attachment=Attachment(ids.new("eni-attachment"), 1),
            interface_type="nat_gateway",
            requester_managed=True,
        )
        topology.put(eni)
        nat = NatGateway(
            ids.new("nat-gateway"),
            subnet.subnet_id,
            subnet.vpc_id,
            eni.network_interface_id,
            private,
            public_ip=next(pool),
        )
        topology.put(nat)
        nats.setdefault(subnet.vpc_id, []).append(nat)
    # Peerings between consecutive VPCs (and around), active.
    peerings: list[VpcPeeringConnection] = []
    for p in range(tier.peerings):
        first, second = vpcs[p % len(vpcs)], vpcs[(p + 1 + p // len(vpcs)) % len(vpcs)]
        if first.vpc_id == second.vpc_id or any(
            {x.requester_vpc_id, x.accepter_vpc_id} == {first.vpc_id, second.vpc_id}
            for x in peerings
        ):
            continue
        pcx = VpcPeeringConnection(
            ids.new("vpc-peering-connection"),
            first.vpc_id,
            second.vpc_id,
            "active",
            first.cidr_blocks,
            second.cidr_blocks,
        )
        topology.put(pcx)
        peerings.append(pcx)
    # Route tables: a main one per VPC (public: to the IGW), then public/private tables.
    for vpc in vpcs:
        main_gateway = topology.internet_gateway_of(vpc.vpc_id)
        assert main_gateway is not None
        topology.put(
            RouteTable(
                ids.new("route-table"),
                vpc.vpc_id,
                _routes(
                    topology,
                    vpc,
                    peerings,
                    ("internet-gateway", main_gateway.internet_gateway_id),
                    rng,
                    tier,
                ),
                (RouteTableAssociation(ids.new("route-table-association"), main=True),),
            )
        )
    tables_by_vpc: dict[str, list[RouteTable]] = {}
    for t in range(max(tier.route_tables - tier.vpcs, 0)):
        vpc = vpcs[t % len(vpcs)]
        use_nat = t % 2 == 1 and bool(nats.get(vpc.vpc_id))
        gateway = topology.internet_gateway_of(vpc.vpc_id)
        assert gateway is not None
        target = (
            ("nat-gateway", rng.choice(nats[vpc.vpc_id]).nat_gateway_id)
            if use_nat
            else ("internet-gateway", gateway.internet_gateway_id)
        )
        table = RouteTable(
            ids.new("route-table"), vpc.vpc_id, _routes(topology, vpc, peerings, target, rng, tier)
        )
        tables_by_vpc.setdefault(vpc.vpc_id, []).append(table)
    for s, subnet in enumerate(subnets):
        tables = tables_by_vpc.get(subnet.vpc_id) or []
        if not tables or s % 5 == 4:
            continue  # some subnets use the main table
        wanted = [
            t
            for t in tables
            if any(
                r.target_type
                == ("internet-gateway" if subnet.map_public_ip_on_launch else "nat-gateway")
                for r in t.routes
            )
        ] or tables
        table = wanted[s % len(wanted)]
        index = tables.index(table)
        tables[index] = RouteTable(
            table.route_table_id,
            table.vpc_id,
            table.routes,
            (
                *table.associations,
                RouteTableAssociation(ids.new("route-table-association"), subnet.subnet_id),
            ),
        )
    for tables in tables_by_vpc.values():
        for table in tables:
            topology.put(table)
    # NACLs: a default per VPC, then custom ones that allow the common ports and ephemerals
    # (some forget the ephemeral ports: the classic mistake).
    for vpc in vpcs:
        topology.put(
            NetworkAcl(
                ids.new("network-acl"),
                vpc.vpc_id,
                True,
                tuple(
                    sorted(
                        (*allow_all_entries(), *deny_all_entries()),
                        key=lambda e: (e.egress, e.rule_number),
                    )
                ),
            )
        )
    acl_subnets: dict[str, list[Subnet]] = {}
    for subnet in subnets:
        acl_subnets.setdefault(subnet.vpc_id, []).append(subnet)
    for a in range(max(tier.nacls - tier.vpcs, 0)):
        vpc = vpcs[a % len(vpcs)]
        entries = [
            NetworkAclEntry(
                100 + 10 * i, False, "allow", "6", IPv4Network("0.0.0.0/0"), (port, port)
            )
            for i, port in enumerate(COMMON_PORTS[:5])
        ]
        entries.append(NetworkAclEntry(200, False, "allow", "-1", vpc.cidr_block))
        entries.append(
            NetworkAclEntry(210, False, "allow", "6", IPv4Network("0.0.0.0/0"), (1024, 65535))
        )
        entries.append(NetworkAclEntry(100, True, "allow", "-1", vpc.cidr_block))
        if a % 3:
            entries.append(
                NetworkAclEntry(110, True, "allow", "6", IPv4Network("0.0.0.0/0"), (1024, 65535))
            )
        entries.append(
            NetworkAclEntry(120, True, "allow", "6", IPv4Network("0.0.0.0/0"), (443, 443))
        )
        members = acl_subnets[vpc.vpc_id][a // len(vpcs) :: max(tier.nacls, 1)][:3]
        topology.put(
            NetworkAcl(
                ids.new("network-acl"),
                vpc.vpc_id,
                False,
                tuple(
                    sorted([*entries, *deny_all_entries()], key=lambda e: (e.egress, e.rule_number))
                ),
                tuple(
                    NetworkAclAssociation(ids.new("network-acl-association"), s.subnet_id)
                    for s in members
                ),
            )
        )
    return topology


def _routes(
    topology: Topology,
    vpc: Vpc,
    peerings: list[VpcPeeringConnection],
    default: tuple[str, str],
    rng: random.Random,
    tier: Tier,
) -> tuple[Route, ...]:
    routes = [Route(block, "local", "local", "CreateRouteTable") for block in vpc.cidr_blocks]
    routes.append(Route(IPv4Network("0.0.0.0/0"), default[0], default[1]))
    for pcx in peerings:
        peer = pcx.peer_of(vpc.vpc_id)
        if peer:
            for block in topology.vpcs[peer].cidr_blocks:
                routes.append(Route(block, "vpc-peering-connection", pcx.vpc_peering_connection_id))
    taken = {route.destination for route in routes}
    for r in range(tier.routes_per_table):
        network = IPv4Network(f"{rng.randrange(11, 223)}.{r // 256}.{r % 256}.0/24")
        if network not in taken and not network.overlaps(vpc.cidr_block):
            taken.add(network)
            routes.append(Route(network, default[0], default[1]))
    return tuple(routes)
