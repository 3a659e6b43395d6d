"""DHCP options sets over the API: AWS's default set, custom sets, association, refusals, import."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from .lab import Lab, expect_error


def _vpc(lab: Lab, cidr: str = "10.0.0.0/16") -> dict[str, Any]:
    return lab.ok("POST", "vpcs", {"CidrBlock": cidr}, 201)  # type: ignore[no-any-return]


def _instance_in(lab: Lab, vpc_id: str) -> str:
    subnet = lab.ok(
        "POST",
        "subnets",
        {"VpcId": vpc_id, "CidrBlock": "10.0.1.0/24", "AvailabilityZone": lab_zone(lab)},
        201,
    )
    run = lab.ok("POST", "instances", {"SubnetId": subnet["SubnetId"]}, 201)
    return str(run["InstanceId"])


def lab_zone(lab: Lab) -> str:
    return f"{lab.topology['region']}a"


@pytest.mark.parametrize(
    ("region", "domain"),
    [("ap-northeast-1", "ap-northeast-1.compute.internal"), ("us-east-1", "ec2.internal")],
)
def test_a_new_vpc_gets_the_regions_default_dhcp_options_set(
    client: TestClient, region: str, domain: str
) -> None:
    lab = Lab(client, region=region)
    vpc = _vpc(lab)
    sets = lab.items("dhcp-options", "DhcpOptions")
    assert [s["DhcpOptionsId"] for s in sets] == [vpc["DhcpOptionsId"]]
    assert sets[0]["DhcpConfigurations"] == [
        {"Key": "domain-name", "Values": [{"Value": domain}]},
        {"Key": "domain-name-servers", "Values": [{"Value": "AmazonProvidedDNS"}]},
    ]
    # A second VPC shares the same default set: AWS has one per account-region.
    assert _vpc(lab, "10.1.0.0/16")["DhcpOptionsId"] == vpc["DhcpOptionsId"]
    assert len(lab.items("dhcp-options", "DhcpOptions")) == 1


def test_instance_resolv_conf_follows_the_vpcs_dhcp_options(client: TestClient) -> None:
    lab = Lab(client)
    vpc = _vpc(lab)
    instance = _instance_in(lab, vpc["VpcId"])
    view = lab.ok("GET", f"instances/{instance}/view")
    assert view["resolv_conf"] == ["search ap-northeast-1.compute.internal", "nameserver 10.0.0.2"]
    assert any("ip-10-0-1-4 resolves" in note for note in view["notes"]), view["notes"]

    custom = lab.ok(
        "POST",
        "dhcp-options",
        {
            "DhcpConfigurations": [
                {"Key": "domain-name", "Values": ["corp.example"]},
                {"Key": "domain-name-servers", "Values": ["10.0.0.53", "AmazonProvidedDNS"]},
                {"Key": "ntp-servers", "Values": ["169.254.169.123"]},
            ],
            "Tags": [{"Key": "Name", "Value": "corp"}],
        },
        201,
    )
    dopt = custom["DhcpOptionsId"]
    assert dopt.startswith("dopt-")
    associated = lab.ok(
        "POST", f"vpcs/{vpc['VpcId']}/associate-dhcp-options", {"DhcpOptionsId": dopt}
    )
    assert associated["DhcpOptionsId"] == dopt
    view = lab.ok("GET", f"instances/{instance}/view")
    assert view["resolv_conf"] == [
        "search corp.example",
        "nameserver 10.0.0.53",
        "nameserver 10.0.0.2",
    ]
    assert view["ntp_servers"] == ["169.254.169.123"]
    assert any("ip-10-0-1-4.corp.example" in note for note in view["notes"]), view["notes"]

    # "default" is AWS's word for no options at all.
    none = lab.ok(
        "POST", f"vpcs/{vpc['VpcId']}/associate-dhcp-options", {"DhcpOptionsId": "default"}
    )
    assert none["DhcpOptionsId"] == "default"
    view = lab.ok("GET", f"instances/{instance}/view")
    assert view["resolv_conf"] == []
    assert any("no DNS server" in note for note in view["notes"])


def test_a_set_in_use_cannot_be_deleted_and_nothing_changes(client: TestClient) -> None:
    lab = Lab(client)
    vpc = _vpc(lab)
    before = lab.ok("GET", "export")
    error = lab.fails(
        "DELETE", f"dhcp-options/{vpc['DhcpOptionsId']}", None, 409, "DependencyViolation"
    )
    assert vpc["VpcId"] in error["message"]
    assert lab.ok("GET", "export") == before
    lab.ok("POST", f"vpcs/{vpc['VpcId']}/associate-dhcp-options", {"DhcpOptionsId": "default"})
    lab.ok("DELETE", f"dhcp-options/{vpc['DhcpOptionsId']}", status=204)
    assert lab.items("dhcp-options", "DhcpOptions") == []


@pytest.mark.parametrize(
    ("configurations", "code"),
    [
        (
            [
                {
                    "Key": "domain-name-servers",
                    "Values": ["1.1.1.1", "1.0.0.1", "8.8.8.8", "8.8.4.4", "9.9.9.9"],
                }
            ],
            "InvalidParameterValue",
        ),
        ([{"Key": "domain-name-servers", "Values": ["dns.example"]}], "InvalidParameterValue"),
        ([{"Key": "router", "Values": ["10.0.0.1"]}], "InvalidParameterValue"),
        ([{"Key": "netbios-node-type", "Values": ["3"]}], "InvalidParameterValue"),
        ([{"Key": "domain-name", "Values": ["bad domain!"]}], "InvalidParameterValue"),
        (
            [
                {"Key": "ntp-servers", "Values": ["10.0.0.1"]},
                {"Key": "ntp-servers", "Values": ["10.0.0.2"]},
            ],
            "InvalidParameterValue",
        ),
    ],
)
def test_create_dhcp_options_refuses_what_aws_refuses(
    client: TestClient, configurations: list[dict[str, Any]], code: str
) -> None:
    lab = Lab(client)
    before = lab.ok("GET", "export")
    lab.fails("POST", "dhcp-options", {"DhcpConfigurations": configurations}, 400, code)
    assert lab.ok("GET", "export") == before


def test_associating_an_unknown_set_is_404_and_writes_nothing(client: TestClient) -> None:
    lab = Lab(client)
    vpc = _vpc(lab)
    before = lab.ok("GET", "export")
    lab.fails(
        "POST",
        f"vpcs/{vpc['VpcId']}/associate-dhcp-options",
        {"DhcpOptionsId": "dopt-0123456789abcdef0"},
        404,
        "InvalidDhcpOptionID.NotFound",
    )
    lab.fails(
        "POST",
        "vpcs/vpc-0123456789abcdef0/associate-dhcp-options",
        {"DhcpOptionsId": vpc["DhcpOptionsId"]},
        404,
        "InvalidVpcID.NotFound",
    )
    assert lab.ok("GET", "export") == before


def test_dhcp_options_travel_through_export_and_import(client: TestClient) -> None:
    source = Lab(client, name="source")
    vpc = _vpc(source)
    custom = source.ok(
        "POST",
        "dhcp-options",
        {"DhcpConfigurations": [{"Key": "domain-name", "Values": ["lab.internal"]}]},
        201,
    )
    source.ok(
        "POST",
        f"vpcs/{vpc['VpcId']}/associate-dhcp-options",
        {"DhcpOptionsId": custom["DhcpOptionsId"]},
    )
    bundle = source.ok("GET", "export")
    assert {d["DhcpOptionsId"] for d in bundle["DhcpOptions"]} >= {custom["DhcpOptionsId"]}
    target = Lab(client, name="target")
    target.ok("POST", "import", bundle)
    assert target.ok("GET", "export") == bundle


def test_an_export_without_its_dhcp_options_gets_the_default_set_it_names(
    client: TestClient,
) -> None:
    """Real exports often leave describe-dhcp-options out; the VPC still names its set."""
    lab = Lab(client)
    bundle = {
        "Vpcs": [
            {
                "VpcId": "vpc-0aaaaaaaaaaaaaaaa",
                "CidrBlock": "10.0.0.0/16",
                "DhcpOptionsId": "dopt-0bbbbbbbbbbbbbbbb",
            }
        ]
    }
    lab.ok("POST", "import", bundle)
    sets = lab.items("dhcp-options", "DhcpOptions")
    assert [s["DhcpOptionsId"] for s in sets] == ["dopt-0bbbbbbbbbbbbbbbb"]
    assert sets[0]["DhcpConfigurations"][0]["Values"] == [
        {"Value": "ap-northeast-1.compute.internal"}
    ]


def test_an_import_with_a_malformed_set_names_it_and_creates_nothing(client: TestClient) -> None:
    lab = Lab(client)
    before = lab.ok("GET", "export")
    bundle = {
        "DhcpOptions": [
            {
                "DhcpOptionsId": "dopt-0cccccccccccccccc",
                "DhcpConfigurations": [
                    {"Key": "domain-name-servers", "Values": [{"Value": "not-an-address"}]}
                ],
            }
        ]
    }
    error = expect_error(lab.call("POST", "import", bundle), 400, "InvalidParameterValue")
    assert "dopt-0cccccccccccccccc" in error["message"]
    assert lab.ok("GET", "export") == before
