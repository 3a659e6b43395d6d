"""One validation for every door (issue 10): a value the API refuses, placed in an import, is
refused with the same code, and the refused import writes nothing. Values are drawn by
Hypothesis from the ranges the API refuses; the API is asked first, so the test follows the
API's rules rather than a copy of them."""

from __future__ import annotations

import copy
from collections.abc import Callable
from ipaddress import IPv4Network
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .lab import Lab

SLOW = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def api_code(response: Any) -> str:
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    return str(response.json()["error"]["code"])


def import_code(client: TestClient, bundle: dict[str, Any]) -> str:
    """Import into a new topology; the refusal's code, after checking nothing was written."""
    target = Lab(client, name="import target")
    before = target.ok("GET", "export")
    code = api_code(target.call("POST", "import", bundle))
    assert target.ok("GET", "export") == before
    return code


@pytest.fixture
def seed(client: TestClient) -> tuple[Lab, dict[str, Any]]:
    lab = Lab(client, "seed-001-nat")
    return lab, lab.ok("GET", "export")


def same_code(
    client: TestClient,
    seed: tuple[Lab, dict[str, Any]],
    call: Callable[[Lab], Any],
    place: Callable[[dict[str, Any]], None],
) -> None:
    lab, export = seed
    refused_by_api = api_code(call(lab))
    bundle = copy.deepcopy(export)
    place(bundle)
    assert import_code(client, bundle) == refused_by_api


@SLOW
@given(prefix=st.integers(0, 32).filter(lambda p: not 16 <= p <= 28))
def test_vpc_block_sizes(client: TestClient, seed: tuple[Lab, dict[str, Any]], prefix: int) -> None:
    block = str(IPv4Network(f"10.0.0.0/{prefix}", strict=False))

    def place(bundle: dict[str, Any]) -> None:
        vpc = bundle["Vpcs"][0]
        vpc["CidrBlock"] = block
        vpc["CidrBlockAssociationSet"] = [{"CidrBlock": block, "AssociationId": "vpc-cidr-assoc-1"}]
        for key in bundle:
            if key not in ("Vpcs", "DhcpOptions"):
                bundle[key] = []  # the VPC alone, so its block is the only thing wrong

    same_code(client, seed, lambda lab: lab.call("POST", "vpcs", {"CidrBlock": block}), place)


def nacl_entry(**changes: Any) -> dict[str, Any]:
    entry = {
        "RuleNumber": 90,
        "Egress": False,
        "RuleAction": "allow",
        "Protocol": "6",
        "CidrBlock": "0.0.0.0/0",
        "PortRange": {"From": 22, "To": 22},
    }
    entry.update(changes)
    return entry


def _nacl_case(client: TestClient, seed: tuple[Lab, dict[str, Any]], entry: dict[str, Any]) -> None:
    _, export = seed
    acl = export["NetworkAcls"][0]["NetworkAclId"]

    def place(bundle: dict[str, Any]) -> None:
        bundle["NetworkAcls"][0]["Entries"].append(entry)

    same_code(
        client, seed, lambda lab: lab.call("POST", f"network-acls/{acl}/entries", entry), place
    )


@SLOW
@given(number=st.one_of(st.integers(-5, 0), st.integers(32768, 100_000)))
def test_nacl_rule_numbers(
    client: TestClient, seed: tuple[Lab, dict[str, Any]], number: int
) -> None:
    _nacl_case(client, seed, nacl_entry(RuleNumber=number))


@SLOW
@given(action=st.text(min_size=1, max_size=8).filter(lambda a: a.lower() not in ("allow", "deny")))
def test_nacl_actions(client: TestClient, seed: tuple[Lab, dict[str, Any]], action: str) -> None:
    _nacl_case(client, seed, nacl_entry(RuleAction=action))


@SLOW
@given(port=st.one_of(st.integers(-1000, -1), st.integers(65536, 200_000)))
def test_nacl_and_security_group_ports(
    client: TestClient, seed: tuple[Lab, dict[str, Any]], port: int
) -> None:
    _nacl_case(client, seed, nacl_entry(PortRange={"From": 22, "To": port}))
    _, export = seed
    group = export["SecurityGroups"][-1]
    permission = {
        "IpProtocol": "tcp",
        "FromPort": port,
        "ToPort": port,
        "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
    }

    def place(bundle: dict[str, Any]) -> None:
        bundle["SecurityGroups"][-1]["IpPermissions"].append(permission)

    same_code(
        client,
        seed,
        lambda lab: lab.call(
            "POST",
            f"security-groups/{group['GroupId']}/authorize-ingress",
            {"IpPermissions": [permission]},
        ),
        place,
    )


def test_two_routes_to_one_destination(
    client: TestClient, seed: tuple[Lab, dict[str, Any]]
) -> None:
    _, export = seed
    table = next(t for t in export["RouteTables"] if len(t["Routes"]) > 1)
    route = next(r for r in table["Routes"] if r.get("GatewayId") != "local")
    target = {k: v for k, v in route.items() if k.endswith("Id") and k != "DestinationCidrBlock"}

    def place(bundle: dict[str, Any]) -> None:
        twin = next(t for t in bundle["RouteTables"] if t["RouteTableId"] == table["RouteTableId"])
        twin["Routes"].append(dict(route))

    same_code(
        client,
        seed,
        lambda lab: lab.call(
            "POST",
            f"route-tables/{table['RouteTableId']}/routes",
            {"DestinationCidrBlock": route["DestinationCidrBlock"], **target},
        ),
        place,
    )


def test_a_vpc_peered_with_itself(client: TestClient, seed: tuple[Lab, dict[str, Any]]) -> None:
    _, export = seed
    vpc = export["Vpcs"][0]

    def place(bundle: dict[str, Any]) -> None:
        side = {"VpcId": vpc["VpcId"], "CidrBlock": vpc["CidrBlock"]}
        bundle["VpcPeeringConnections"] = [
            {
                "VpcPeeringConnectionId": "pcx-0123456789abcdef0",
                "RequesterVpcInfo": side,
                "AccepterVpcInfo": side,
                "Status": {"Code": "active"},
            }
        ]

    same_code(
        client,
        seed,
        lambda lab: lab.call(
            "POST", "vpc-peering-connections", {"VpcId": vpc["VpcId"], "PeerVpcId": vpc["VpcId"]}
        ),
        place,
    )


def test_the_same_rule_twice_in_a_group(
    client: TestClient, seed: tuple[Lab, dict[str, Any]]
) -> None:
    _, export = seed
    group = next(
        g for g in export["SecurityGroups"] if any(p["IpRanges"] for p in g["IpPermissions"])
    )
    printed = next(p for p in group["IpPermissions"] if p["IpRanges"])
    permission = {
        "IpProtocol": printed["IpProtocol"],
        "FromPort": printed["FromPort"],
        "ToPort": printed["ToPort"],
        "IpRanges": [{"CidrIp": printed["IpRanges"][0]["CidrIp"]}],
    }

    def place(bundle: dict[str, Any]) -> None:
        twin = next(g for g in bundle["SecurityGroups"] if g["GroupId"] == group["GroupId"])
        twin["IpPermissions"].append(copy.deepcopy(permission))

    same_code(
        client,
        seed,
        lambda lab: lab.call(
            "POST",
            f"security-groups/{group['GroupId']}/authorize-ingress",
            {"IpPermissions": [permission]},
        ),
        place,
    )


def test_quotas_vpcs_elastic_ips_and_rules(client: TestClient) -> None:
    lab = Lab(client)
    for n in range(5):
        lab.ok("POST", "vpcs", {"CidrBlock": f"10.{n}.0.0/16"}, 201)
    vpc_code = api_code(lab.call("POST", "vpcs", {"CidrBlock": "10.9.0.0/16"}))
    for _ in range(5):
        lab.ok("POST", "addresses", None, 201)
    eip_code = api_code(lab.call("POST", "addresses"))
    vpc = lab.items("vpcs", "Vpcs")[0]["VpcId"]
    group = lab.ok(
        "POST", "security-groups", {"GroupName": "many", "Description": "many", "VpcId": vpc}, 201
    )["GroupId"]
    rules = [
        {"IpProtocol": "tcp", "FromPort": p, "ToPort": p, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        for p in range(1000, 1061)
    ]
    for first in (0, 30):  # 60 rules, AWS's default quota, in two calls
        path = f"security-groups/{group}/authorize-ingress"
        lab.ok("POST", path, {"IpPermissions": rules[first : first + 30]})
    rule_code = api_code(
        lab.call(
            "POST", f"security-groups/{group}/authorize-ingress", {"IpPermissions": rules[60:]}
        )
    )
    export = lab.ok("GET", "export")

    six_vpcs = copy.deepcopy(export)
    extra = copy.deepcopy(six_vpcs["Vpcs"][0])
    extra.update(VpcId="vpc-0ffffffffffffffff", CidrBlock="10.9.0.0/16")
    extra["CidrBlockAssociationSet"] = [{"CidrBlock": "10.9.0.0/16"}]
    six_vpcs["Vpcs"].append(extra)
    assert import_code(client, six_vpcs) == vpc_code == "VpcLimitExceeded"

    six_eips = copy.deepcopy(export)
    six_eips["Addresses"].append(
        {"AllocationId": "eipalloc-0ffffffffffffffff", "PublicIp": "52.68.255.254"}
    )
    assert import_code(client, six_eips) == eip_code == "AddressLimitExceeded"

    many_rules = copy.deepcopy(export)
    crowded = next(g for g in many_rules["SecurityGroups"] if g["GroupId"] == group)
    crowded["IpPermissions"] = rules
    assert import_code(client, many_rules) == rule_code == "RulesPerSecurityGroupLimitExceeded"


def test_ids_and_names_too_long_for_the_database_are_refused_on_every_engine(
    client: TestClient, seed: tuple[Lab, dict[str, Any]]
) -> None:
    """On PostgreSQL a 65-character id was a 500; on SQLite it loaded and could never be read."""
    _, export = seed
    long_id = copy.deepcopy(export)
    long_id["InternetGateways"][0]["InternetGatewayId"] = "igw-" + "0" * 61
    assert import_code(client, long_id) == "InvalidParameterValue"
    long_name = copy.deepcopy(export)
    long_name["Vpcs"][0]["Tags"] = [{"Key": "Name", "Value": "x" * 257}]
    assert import_code(client, long_name) == "InvalidParameterValue"
