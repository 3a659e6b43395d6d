"""The exposure report agrees exactly with the single-path analysis (issue 5)."""

from __future__ import annotations

import random
from ipaddress import IPv4Address, IPv4Network
from typing import Any

import pytest

from app.engine import Topology, analyze
from app.engine import operations as op
from app.engine.addressing import is_private
from app.engine.exposure import exposure_report, header_classes
from app.engine.generator import generate

from .lab import launch_public, new_lab, public_vpc


def claimed(
    report: dict[str, Any], eni_id: str, protocol: str, port: int | None, source: IPv4Address
) -> bool:
    item = report.get(eni_id)
    if item is None:
        return False
    for exposure in item.exposures:
        if exposure.protocol != protocol:
            continue
        if port is not None and not exposure.port_range[0] <= port <= exposure.port_range[1]:
            continue
        if any(source in IPv4Network(cidr) for cidr in exposure.sources):
            return True
    return False


def single_path(
    topology: Topology, eni_id: str, protocol: str, port: int | None, source: IPv4Address
) -> bool:
    request: dict[str, Any] = {
        "source": "internet",
        "source_ip": str(source),
        "destination": eni_id,
        "protocol": protocol,
    }
    if port is not None:
        request["destination_port"] = port
    return analyze(topology, request).reachable


def every_class(
    topology: Topology, *, both_ends: bool
) -> list[tuple[str, str, int | None, IPv4Address]]:
    """One case per interface and class (its lowest port and source), or both interval ends."""
    cases = []
    for eni in topology.network_interfaces.values():
        if eni.interface_type != "interface":
            continue
        for protocol, ports, source in header_classes(topology, eni):
            ends = (0, 1) if both_ends else (0,)
            for port in {ports[i] for i in ends} if ports else {None}:
                for address in {source[i] for i in ends}:
                    cases.append((eni.network_interface_id, protocol, port, IPv4Address(address)))
    return cases


@pytest.mark.parametrize("tier", ["S", "M"])
def test_every_interface_and_header_class_agrees_with_the_single_path_analysis(tier: str) -> None:
    topology = generate(tier)
    report = {i.network_interface_id: i for i in exposure_report(topology)}
    cases = every_class(topology, both_ends=tier == "S")
    disagreements = [
        case for case in cases if claimed(report, *case) != single_path(topology, *case)
    ]
    assert not disagreements, disagreements[:5]
    assert len(cases) > 1000
    wrong_chains = [
        (eni_id, exposure)
        for eni_id, item in report.items()
        for exposure in item.exposures
        if not chain_agrees(topology, eni_id, exposure)
    ]
    assert not wrong_chains, wrong_chains[:3]


def test_a_random_sample_of_l_agrees_with_the_single_path_analysis() -> None:
    topology = generate("L")
    report = {i.network_interface_id: i for i in exposure_report(topology)}
    rng = random.Random(5)
    enis = [e for e in topology.network_interfaces.values() if e.interface_type == "interface"]
    exposed = [e for e in enis if e.network_interface_id in report]
    checked = 0
    while checked < 10_000:
        eni = rng.choice(exposed if rng.random() < 0.7 else enis)
        protocol = rng.choice(("tcp", "tcp", "udp", "icmp"))
        port = (
            None
            if protocol == "icmp"
            else rng.choice((rng.randrange(65536), 22, 80, 443, 3306, 5432, 8080))
        )
        source = IPv4Address(rng.getrandbits(32))
        if is_private(source):
            continue
        assert claimed(report, eni.network_interface_id, protocol, port, source) == single_path(
            topology, eni.network_interface_id, protocol, port, source
        ), (eni.network_interface_id, protocol, port, source)
        checked += 1


def test_the_seed_lab_web_server_is_reported_with_its_chain() -> None:
    lab = new_lab("seed-001-nat")
    [web] = exposure_report(lab)
    ports = {(e.protocol, e.port_range) for e in web.exposures}
    assert ports == {("tcp", (22, 22)), ("tcp", (80, 80))}
    ssh = next(e for e in web.exposures if e.port_range == (22, 22))
    assert ssh.from_anywhere  # 0.0.0.0/0: every block of the internet, as listed here
    assert list(ssh.sources) == [
        "0.0.0.0/5",
        "8.0.0.0/7",
        "11.0.0.0/8",
        "12.0.0.0/6",
        "16.0.0.0/4",
        "32.0.0.0/3",
        "64.0.0.0/3",
        "96.0.0.0/6",
        "100.0.0.0/10",
        "100.128.0.0/9",
        "101.0.0.0/8",
        "102.0.0.0/7",
        "104.0.0.0/5",
        "112.0.0.0/4",
        "128.0.0.0/3",
        "160.0.0.0/5",
        "168.0.0.0/6",
        "172.0.0.0/12",
        "172.32.0.0/11",
        "172.64.0.0/10",
        "172.128.0.0/9",
        "173.0.0.0/8",
        "174.0.0.0/7",
        "176.0.0.0/4",
        "192.0.0.0/9",
        "192.128.0.0/11",
        "192.160.0.0/13",
        "192.169.0.0/16",
        "192.170.0.0/15",
        "192.172.0.0/14",
        "192.176.0.0/12",
        "192.192.0.0/10",
        "193.0.0.0/8",
        "194.0.0.0/7",
        "196.0.0.0/6",
        "200.0.0.0/5",
        "208.0.0.0/4",
        "224.0.0.0/3",
    ]
    assert ssh.chain["security_group"]["rule"] == "SSH TCP 22 0.0.0.0/0"
    assert ssh.chain["acl_inbound"] == "100 ALL ALL 0.0.0.0/0 ALLOW"
    assert ssh.chain["route"]["destination"] == "0.0.0.0/0"


def test_a_vpc_in_public_address_space_with_group_references_agrees_on_every_class() -> None:
    """Public member addresses are the one place a group reference could meet an internet
    source; the reply to an address of the VPC's own CIDR stays inside (the local route)."""
    lab = new_lab()
    parts = public_vpc(lab, cidr="52.95.0.0/16")
    vpc_id = parts["vpc"].vpc_id
    clients = op.create_security_group(lab, group_name="clients", description="c", vpc_id=vpc_id)
    web = op.create_security_group(lab, group_name="web", description="w", vpc_id=vpc_id)
    op.authorize(
        lab,
        group_id=web.group_id,
        ip_permissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "UserIdGroupPairs": [{"GroupId": clients.group_id}],
            },
            {
                "IpProtocol": "tcp",
                "FromPort": 0,
                "ToPort": 1023,
                "IpRanges": [{"CidrIp": "52.0.0.0/8"}],
            },
            {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "198.51.100.0/24"}]},
            # Also allowed by the first group ("ssh"): the chain must name that one.
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            },
        ],
        egress=False,
    )
    server = launch_public(lab, parts)
    op.modify_network_interface_attribute(
        lab,
        network_interface_id=lab.primary_eni(server.instance_id).network_interface_id,
        groups=[parts["sg"].group_id, web.group_id],
    )
    op.run_instances(
        lab, subnet_id=parts["subnet"].subnet_id, security_group_ids=[clients.group_id]
    )
    report = {i.network_interface_id: i for i in exposure_report(lab)}
    cases = every_class(lab, both_ends=True)
    disagreements = [case for case in cases if claimed(report, *case) != single_path(lab, *case)]
    assert not disagreements, disagreements[:5]
    eni = lab.primary_eni(server.instance_id).network_interface_id
    assert claimed(report, eni, "tcp", 22, IPv4Address("52.94.0.1"))
    assert not claimed(report, eni, "tcp", 22, IPv4Address("52.95.1.5"))  # the VPC's own
    assert claimed(report, eni, "udp", 53, IPv4Address("198.51.100.7"))
    for exposure in report[eni].exposures:
        assert chain_agrees(lab, eni, exposure), exposure
    ssh = next(e for e in report[eni].exposures if e.port_range == (22, 22))
    assert ssh.chain["security_group"]["id"] == parts["sg"].group_id


def chain_agrees(topology: Topology, eni_id: str, exposure: Any) -> bool:
    """The chain shown for an exposure is the tracer's evidence for its lowest source and port:
    the same group, NACL entries and route."""
    source = IPv4Network(exposure.sources[0]).network_address
    port = exposure.port_range[0] if exposure.port_range else None
    request: dict[str, Any] = {
        "source": "internet",
        "source_ip": str(source),
        "destination": eni_id,
        "protocol": exposure.protocol,
    }
    if port is not None:
        request["destination_port"] = port
    analysis = analyze(topology, request)
    hops = [h.to_dict(n) for n, h in enumerate(analysis.forward_path + analysis.return_path)]
    groups = [h["component"]["id"] for h in hops if h["component"]["type"] == "security-group"]
    acl_rules = [h["acl_rule"]["rule_number"] for h in hops if "acl_rule" in h]
    routes = [h["route"]["destination"] for h in hops if "route" in h]
    chain = exposure.chain
    return (
        analysis.reachable
        and groups[0] == chain["security_group"]["id"]
        and [str(n) for n in acl_rules[:2]]
        == [chain["acl_inbound"].split()[0], chain["acl_outbound"].split()[0]]
        and chain["route"]["destination"] in routes
    )


def test_a_rule_for_port_0_alone_exposes_port_0_alone() -> None:
    lab = new_lab()
    parts = public_vpc(lab)
    zero = {"IpProtocol": "tcp", "FromPort": 0, "ToPort": 0, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
    op.authorize(lab, group_id=parts["sg"].group_id, ip_permissions=[zero], egress=False)
    server = launch_public(lab, parts)
    eni = lab.primary_eni(server.instance_id).network_interface_id
    report = {i.network_interface_id: i for i in exposure_report(lab)}
    internet = IPv4Address("198.51.100.7")
    for port, open_ in ((0, True), (1, False), (21, False), (22, True), (23, False)):
        assert claimed(report, eni, "tcp", port, internet) is open_, port
        assert single_path(lab, eni, "tcp", port, internet) is open_, port
