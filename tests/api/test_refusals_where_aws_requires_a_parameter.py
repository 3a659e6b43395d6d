"""Over HTTP: what AWS refuses is refused with its error code, and the topology is unchanged."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from .lab import Lab


class Unchanged:
    """Asserts that a refused request wrote nothing: same export, same revision."""

    def __init__(self, lab: Lab) -> None:
        self.lab = lab

    def __enter__(self) -> None:
        self.before = self.lab.ok("GET", "export"), self.lab.revision()

    def __exit__(self, *exc: object) -> None:
        assert (self.lab.ok("GET", "export"), self.lab.revision()) == self.before


def lab_with_vpc(client: TestClient) -> tuple[Lab, str]:
    lab = Lab(client)
    return lab, lab.vpc()


@pytest.mark.parametrize(
    ("body", "status"),
    [({"Description": ""}, 400), ({"Description": "  "}, 400), ({}, 422)],
    ids=["empty", "blank", "absent"],
)
def test_create_security_group_without_a_description_is_missing_parameter(
    client: TestClient, body: dict[str, Any], status: int
) -> None:
    lab, vpc = lab_with_vpc(client)
    with Unchanged(lab):
        error = lab.fails(
            "POST",
            "security-groups",
            {"GroupName": "web", "VpcId": vpc, **body},
            status,
            "MissingParameter",
        )
    assert "escription" in error["message"]
    created = lab.ok(
        "POST", "security-groups", {"GroupName": "web", "VpcId": vpc, "Description": "web"}, 201
    )
    assert created["Description"] == "web"


ENTRY = {"RuleNumber": 100, "Egress": False, "RuleAction": "allow", "Protocol": "-1"}


@pytest.mark.parametrize("method", ["POST", "PUT"])
@pytest.mark.parametrize(
    ("cidr", "status"), [({"CidrBlock": ""}, 400), ({}, 422)], ids=["empty", "absent"]
)
def test_a_network_acl_entry_without_a_cidr_block_is_missing_parameter(
    client: TestClient, method: str, cidr: dict[str, str], status: int
) -> None:
    lab, vpc = lab_with_vpc(client)
    acl = lab.ok("POST", "network-acls", {"VpcId": vpc}, 201)["NetworkAclId"]
    entries = f"network-acls/{acl}/entries"
    lab.ok("POST", entries, {**ENTRY, "CidrBlock": "203.0.113.5/32"}, 201)
    with Unchanged(lab):
        lab.fails(method, entries, {**ENTRY, **cidr}, status, "MissingParameter")
    rules = lab.ok("GET", f"network-acls/{acl}")["Entries"]
    assert [e["CidrBlock"] for e in rules if e["RuleNumber"] == 100] == ["203.0.113.5/32"]


@pytest.mark.parametrize("parameter", ["SecurityGroupIds", "PrivateIpAddress"])
def test_run_instances_with_a_network_interface_and_instance_level_settings_is_refused(
    client: TestClient, parameter: str
) -> None:
    lab, vpc = lab_with_vpc(client)
    subnet = lab.ok(
        "POST",
        "subnets",
        {"VpcId": vpc, "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "ap-northeast-1a"},
        201,
    )["SubnetId"]
    eni = lab.ok("POST", "network-interfaces", {"SubnetId": subnet}, 201)["NetworkInterfaceId"]
    default_group = lab.items("security-groups", "SecurityGroups")[0]["GroupId"]
    value = [default_group] if parameter == "SecurityGroupIds" else "10.0.1.20"
    with Unchanged(lab):
        error = lab.fails(
            "POST",
            "instances",
            {"NetworkInterfaceId": eni, parameter: value},
            400,
            "InvalidParameterCombination",
        )
    assert eni in error["message"]
    launched = lab.ok("POST", "instances", {"NetworkInterfaceId": eni}, 201)
    assert launched["NetworkInterfaces"][0]["NetworkInterfaceId"] == eni


@pytest.mark.parametrize("body", [{}, {"vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}])
def test_an_import_body_with_none_of_the_bundle_keys_is_refused_listing_them(
    client: TestClient, body: dict[str, Any]
) -> None:
    lab = Lab(client, "seed-002-ssh")
    with Unchanged(lab):
        error = lab.fails("POST", "import", body, 400, "MissingParameter")
    for key in ("Vpcs", "Subnets", "RouteTables", "NetworkInterfaces", "Reservations", "Addresses"):
        assert key in error["message"]
