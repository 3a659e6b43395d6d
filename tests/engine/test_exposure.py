"""The exposure report agrees exactly with the single-path analysis (issue 5)."""

from __future__ import annotations

import random
from ipaddress import IPv4Address, IPv4Network
from typing import Any

import pytest

from app.engine import Topology, analyze
from app.engine.addressing import is_private
from app.engine.exposure import exposure_report, header_classes
from app.engine.generator import generate

from .lab import new_lab


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
    assert ssh.sources == [
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
