"""A real two-region export (pybatfish's hybrid-cloud example) loads whole and analyses answer."""

import json
from pathlib import Path

import pytest

from app.engine import Topology, analyze, import_bundle

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "aws" / "hybrid-cloud"


def load(region: str) -> Topology:
    paths = sorted((FIXTURES / region).glob("*.json"))
    assert paths, f"the fixture {FIXTURES / region} is missing"
    bundle: dict = {}
    for path in paths:
        bundle.update(json.loads(path.read_text()))
    topology, _ = import_bundle(Topology(region=region), bundle)
    return topology


@pytest.mark.parametrize("region", ["us-east-2", "us-west-2"])
def test_every_instance_pair_and_the_internet_get_an_answer(region: str) -> None:
    topology = load(region)
    ends = [*topology.instances, "internet"]
    answered = 0
    for source in ends:
        for destination in ends:
            if source == destination:
                continue
            for protocol, port in (("tcp", 22), ("tcp", 3306), ("icmp", None)):
                request = {"source": source, "destination": destination, "protocol": protocol}
                if port:
                    request["destination_port"] = port
                result = analyze(topology, request)
                assert result.forward_path, request
                assert result.reachable == (not result.explanations and bool(result.return_path)), (
                    request
                )
                answered += 1
    assert answered == 3 * len(ends) * (len(ends) - 1)


def test_routes_to_a_transit_gateway_end_with_unsupported_component() -> None:
    topology = load("us-east-2")
    result = analyze(
        topology,
        {
            "source": "i-01602d9efaed4409a",
            "destination": "i-04cd3db5124a05ee6",
            "protocol": "tcp",
            "destination_port": 22,
        },
    )
    assert [e.code for e in result.explanations] == ["UNSUPPORTED_COMPONENT"]
    assert result.explanations[0].component.id == "tgw-06b348adabd13452d"


def test_ssh_from_the_internet_to_the_public_instance_is_reachable() -> None:
    topology = load("us-west-2")
    public = next(
        i
        for i, _ in topology.instances.items()
        if topology.public_ip_of(topology.primary_eni(i), topology.primary_eni(i).primary_ip)
    )
    result = analyze(
        topology,
        {
            "source": "internet",
            "source_ip": "198.51.100.7",
            "destination": public,
            "protocol": "tcp",
            "destination_port": 22,
        },
    )
    assert result.reachable, [e.message for e in result.explanations]
