"""The whole-network analyses equal the single-path analysis on random labs built so that each
component can be the one that decides: NACLs that deny inside the VPC and from the peer, groups
that reference each other across a peering, routes to a NAT gateway, a peering or a blackhole,
public and private instances, some stopped. (The generator's tiers are realistic; these are
adversarial.)"""

from __future__ import annotations

import contextlib
import random
from ipaddress import IPv4Network
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.engine import AwsError, Topology
from app.engine import operations as op
from app.engine.exposure import exposure_report
from app.engine.matrix import reachability_matrix

from .lab import new_lab
from .test_exposure import chain_agrees, claimed, every_class, single_path
from .test_matrix import pair_reachable

PORTS = [22, 80, 443, 3306, 1024, 49152, 65535]


def _ports(rng: random.Random) -> tuple[int, int]:
    low = rng.choice([0, *PORTS])
    return low, rng.choice([p for p in [*PORTS, low] if p >= low])


def _cidrs(lab: Topology) -> list[str]:
    subnets = [s.cidr_block for s in lab.subnets.values()]
    hosts = [f"{s.network_address + 4}/32" for s in subnets]
    vpcs = [v.cidr_block for v in lab.vpcs.values()]
    internet = ["0.0.0.0/0", "52.0.0.0/8", "203.0.113.0/24", "203.0.113.5/32", "128.0.0.0/1"]
    return [str(c) for c in [*subnets, *hosts, *vpcs]] + internet


def _nacl_entry(rng: random.Random, lab: Topology, number: int) -> dict[str, Any]:
    protocol = rng.choice(["tcp", "udp", "icmp", "-1"])
    entry: dict[str, Any] = {
        "rule_number": number,
        "egress": rng.random() < 0.5,
        "rule_action": rng.choice(["allow", "allow", "deny"]),
        "protocol": protocol,
        "cidr_block": rng.choice(_cidrs(lab)),
    }
    if protocol in ("tcp", "udp"):
        low, high = _ports(rng)
        entry["port_range"] = {"From": low, "To": high}
    elif protocol == "icmp":
        entry["icmp_type_code"] = {"Type": rng.choice([-1, 8, 0]), "Code": -1}
    return entry


def _permission(rng: random.Random, lab: Topology, groups: list[str]) -> dict[str, Any]:
    protocol = rng.choice(["tcp", "tcp", "udp", "icmp", "-1"])
    perm: dict[str, Any] = {"IpProtocol": protocol}
    if protocol in ("tcp", "udp"):
        perm["FromPort"], perm["ToPort"] = _ports(rng)
    elif protocol == "icmp":
        perm["FromPort"], perm["ToPort"] = rng.choice([(-1, -1), (8, -1), (0, -1)])
    if groups and rng.random() < 0.35:
        perm["UserIdGroupPairs"] = [{"GroupId": rng.choice(groups)}]
    else:
        perm["IpRanges"] = [{"CidrIp": rng.choice(_cidrs(lab))}]
    return perm


def random_lab(seed: int) -> Topology:
    rng = random.Random(seed)
    lab = new_lab(seed=seed)
    vpcs = [op.create_vpc(lab, cidr_block=f"10.{n}.0.0/16") for n in range(2)]
    subnets = {
        v.vpc_id: [
            op.create_subnet(lab, vpc_id=v.vpc_id, cidr_block=f"10.{n}.{k}.0/24")
            for k in range(rng.randint(1, 3))
        ]
        for n, v in enumerate(vpcs)
    }
    igws = {}
    for vpc in vpcs:
        if vpc is vpcs[0] or rng.random() < 0.5:
            igw = op.create_internet_gateway(lab)
            op.attach_internet_gateway(
                lab, internet_gateway_id=igw.internet_gateway_id, vpc_id=vpc.vpc_id
            )
            igws[vpc.vpc_id] = igw.internet_gateway_id
    peering = None
    if rng.random() < 0.7:
        peering = op.create_vpc_peering_connection(
            lab, vpc_id=vpcs[0].vpc_id, peer_vpc_id=vpcs[1].vpc_id
        ).vpc_peering_connection_id
        if rng.random() < 0.85:
            op.accept_vpc_peering_connection(lab, vpc_peering_connection_id=peering)
    nat = None
    if rng.random() < 0.5:
        eip = op.allocate_address(lab)
        nat = op.create_nat_gateway(
            lab, subnet_id=subnets[vpcs[0].vpc_id][0].subnet_id, allocation_id=eip.allocation_id
        ).nat_gateway_id
    # Route tables: the main one of each VPC and sometimes a custom one for some subnets.
    for n, vpc in enumerate(vpcs):
        tables = [lab.main_route_table(vpc.vpc_id)]
        if rng.random() < 0.6:
            custom = op.create_route_table(lab, vpc_id=vpc.vpc_id)
            tables.append(custom)
            for subnet in subnets[vpc.vpc_id]:
                if rng.random() < 0.5:
                    op.associate_route_table(
                        lab, route_table_id=custom.route_table_id, subnet_id=subnet.subnet_id
                    )
        for table in tables:
            assert table is not None
            rtb = table.route_table_id
            if vpc.vpc_id in igws and rng.random() < 0.8:
                op.create_route(
                    lab,
                    route_table_id=rtb,
                    destination_cidr_block=rng.choice(["0.0.0.0/0", "203.0.113.0/24"]),
                    gateway_id=igws[vpc.vpc_id],
                )
            elif nat and n == 0 and rng.random() < 0.7:
                op.create_route(
                    lab, route_table_id=rtb, destination_cidr_block="0.0.0.0/0", nat_gateway_id=nat
                )
            if peering and rng.random() < 0.8:
                other = f"10.{1 - n}.0.0/16" if rng.random() < 0.7 else f"10.{1 - n}.0.0/24"
                op.create_route(
                    lab,
                    route_table_id=rtb,
                    destination_cidr_block=other,
                    vpc_peering_connection_id=peering,
                )
    # NACLs: custom ones with random entries, each on some subnets.
    for vpc in vpcs:
        for _ in range(rng.randint(0, 2)):
            acl = op.create_network_acl(lab, vpc_id=vpc.vpc_id)
            for number in rng.sample(range(1, 300), rng.randint(1, 8)):
                op.create_network_acl_entry(
                    lab, network_acl_id=acl.network_acl_id, **_nacl_entry(rng, lab, number)
                )
            for subnet in subnets[vpc.vpc_id]:
                if rng.random() < 0.5:
                    current = lab.network_acl_for(subnet.subnet_id)
                    assert current is not None
                    association = next(
                        a for a in current.associations if a.subnet_id == subnet.subnet_id
                    )
                    op.replace_network_acl_association(
                        lab,
                        association_id=association.association_id,
                        network_acl_id=acl.network_acl_id,
                    )
    # Security groups, referencing each other (across the peering too).
    groups: dict[str, list[str]] = {}
    for vpc in vpcs:
        groups[vpc.vpc_id] = [
            op.create_security_group(
                lab, group_name=f"g{k}", description="x", vpc_id=vpc.vpc_id
            ).group_id
            for k in range(rng.randint(1, 3))
        ]
    every_group = [g for gs in groups.values() for g in gs]
    for vpc in vpcs:
        for group in groups[vpc.vpc_id]:
            for egress in (False, True):
                for _ in range(rng.randint(0, 3 if not egress else 1)):
                    # A duplicate rule, or a group of a VPC not peered: AWS refuses it too.
                    with contextlib.suppress(AwsError):
                        op.authorize(
                            lab,
                            group_id=group,
                            egress=egress,
                            ip_permissions=[_permission(rng, lab, every_group)],
                        )
    # Instances: public or not, one or two groups, some stopped.
    for vpc in vpcs:
        for subnet in subnets[vpc.vpc_id]:
            for _ in range(rng.randint(1, 2)):
                instance = op.run_instances(
                    lab,
                    subnet_id=subnet.subnet_id,
                    security_group_ids=rng.sample(
                        groups[vpc.vpc_id], rng.randint(1, len(groups[vpc.vpc_id]))
                    ),
                    associate_public_ip_address=rng.random() < 0.6,
                )
                if rng.random() < 0.15:
                    op.stop_instances(lab, instance_id=instance.instance_id)
    return lab


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_the_matrix_equals_the_single_path_analysis_on_random_labs(seed: int) -> None:
    lab = random_lab(seed)
    for protocol, ports in (("tcp", [22, 443, 3306]), ("udp", [53]), ("icmp", None)):
        matrix = reachability_matrix(lab, protocol, ports)
        for port, grid in matrix.by_port.items() if ports else [(None, matrix.reachable)]:
            for i, src in enumerate(matrix.instances):
                for j, dst in enumerate(matrix.instances):
                    if src != dst:
                        expected = pair_reachable(lab, src, dst, protocol, port)
                        assert grid[i][j] == expected, (seed, src, dst, protocol, port)


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_the_exposure_report_equals_the_single_path_analysis_on_random_labs(seed: int) -> None:
    lab = random_lab(seed)
    report = {i.network_interface_id: i for i in exposure_report(lab)}
    for case in every_class(lab, both_ends=True):
        assert claimed(report, *case) == single_path(lab, *case), (seed, case)
    for eni_id, item in report.items():
        for exposure in item.exposures:
            assert chain_agrees(lab, eni_id, exposure), (seed, eni_id, exposure)
            assert all(IPv4Network(s) for s in exposure.sources)
