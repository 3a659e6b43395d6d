"""Analysis requests: defaults filled in, ends resolved, bad requests refused clearly."""

import pytest

from app.engine import AwsError, analyze

from .lab import named, new_lab


def test_defaults_are_filled_in_and_echoed() -> None:
    lab = new_lab("seed-002-ssh")
    instance = named(lab, "instance", "myinstance-0001")
    result = analyze(
        lab,
        {
            "source": "internet",
            "destination": instance.instance_id,
            "protocol": "tcp",
            "destination_port": 22,
        },
    )
    assert result.request["source_ip"] == "203.0.113.5"
    assert result.request["source_port"] == 49152
    eni = lab.primary_eni(instance.instance_id)
    assert result.request["destination_ip"] == str(lab.public_ip_of(eni, eni.primary_ip))


def test_icmp_defaults_to_echo_request() -> None:
    lab = new_lab("seed-002-ssh")
    instance = named(lab, "instance", "myinstance-0001")
    result = analyze(
        lab, {"source": instance.instance_id, "destination": "internet", "protocol": "icmp"}
    )
    assert (result.request["icmp_type"], result.request["icmp_code"]) == (8, 0)
    assert result.request["destination_ip"] == "8.8.8.8"


def test_an_address_of_the_topology_resolves_to_its_interface() -> None:
    lab = new_lab("seed-002-ssh")
    a = named(lab, "instance", "myinstance-0001")
    result = analyze(
        lab,
        {
            "source": a.instance_id,
            "destination": "192.168.2.4",
            "protocol": "tcp",
            "destination_port": 22,
        },
    )
    assert (
        result.forward_path[-1].component.id
        == named(lab, "instance", "myinstance-0002").instance_id
    )


@pytest.mark.parametrize(
    ("request_body", "code"),
    [
        (
            {
                "source": "internet",
                "destination": "8.8.8.8",
                "protocol": "tcp",
                "destination_port": 80,
            },
            "InvalidParameterValue",
        ),
        (
            {
                "source": "internet",
                "destination": "i-0000",
                "protocol": "tcp",
                "destination_port": 80,
            },
            "InvalidInstanceID.NotFound",
        ),
        (
            {
                "source": "internet",
                "destination": "eni-0000",
                "protocol": "tcp",
                "destination_port": 80,
            },
            "InvalidNetworkInterfaceID.NotFound",
        ),
        (
            {"source": "internet", "destination": "internet", "protocol": "gre"},
            "InvalidParameterValue",
        ),
        (
            {"source": "203.0.113.5", "destination": "192.168.1.4", "protocol": "tcp"},
            "MissingParameter",
        ),
        (
            {
                "source": "203.0.113.5",
                "destination": "192.168.1.4",
                "protocol": "tcp",
                "destination_port": 70000,
            },
            "InvalidParameterValue",
        ),
        (
            {
                "source": "not-an-ip",
                "destination": "192.168.1.4",
                "protocol": "tcp",
                "destination_port": 22,
            },
            "InvalidParameterValue",
        ),
        (
            {"source": 5, "destination": "192.168.1.4", "protocol": "tcp", "destination_port": 22},
            "InvalidParameterValue",
        ),
        (
            {
                "source": "igw-1",
                "destination": "192.168.1.4",
                "protocol": "tcp",
                "destination_port": 22,
            },
            "InvalidParameterValue",
        ),
    ],
)
def test_bad_requests_are_refused_with_a_code(request_body, code) -> None:
    lab = new_lab("seed-002-ssh")
    with pytest.raises(AwsError) as error:
        analyze(lab, request_body)
    assert error.value.code == code


def test_the_contract_json_has_sequences_and_headers() -> None:
    lab = new_lab("seed-002-ssh")
    instance = named(lab, "instance", "myinstance-0001")
    data = analyze(
        lab,
        {
            "source": "203.0.113.5",
            "destination": instance.instance_id,
            "protocol": "tcp",
            "destination_port": 22,
        },
    ).to_dict()
    assert data["reachable"] is True
    assert [h["sequence"] for h in data["forward_path"]] == list(
        range(1, len(data["forward_path"]) + 1)
    )
    igw = data["forward_path"][0]
    assert (
        igw["component"]["type"] == "internet-gateway" and igw["component"]["name"] == "mygateway"
    )
    assert igw["inbound_header"]["protocol"] == "tcp"
    assert igw["outbound_header"]["destination_ip"] == "192.168.1.4"
    acl = data["forward_path"][1]
    assert acl["acl_rule"] == {
        "rule_number": 100,
        "egress": False,
        "rule_action": "allow",
        "cidr": "0.0.0.0/0",
        "protocol": "-1",
        "port_range": None,
        "label": "100 ALL ALL 0.0.0.0/0 ALLOW",
    }
    eni_hop = data["forward_path"][3]
    assert eni_hop["attached_to"] == {"id": instance.instance_id, "type": "instance"}
    assert data["explanations"] == []
