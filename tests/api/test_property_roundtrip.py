"""Random valid topologies built through the API survive export -> import -> export unchanged,
and every analysis answers the same before and after."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .lab import Lab

STEPS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "subnet",
                "instance",
                "public-instance",
                "eip",
                "sg-rule",
                "nacl",
                "route-table",
                "stop",
                "secondary-ip",
            ]
        ),
        st.integers(0, 1000),
    ),
    min_size=3,
    max_size=14,
)


def build(lab: Lab, steps: list[tuple[str, int]]) -> None:
    vpc = lab.vpc("10.0.0.0/16")
    igw = lab.ok("POST", "internet-gateways", None, 201)["InternetGatewayId"]
    lab.ok("POST", f"internet-gateways/{igw}/attach", {"VpcId": vpc})
    main = lab.items("route-tables", "RouteTables")[0]["RouteTableId"]
    lab.ok(
        "POST",
        f"route-tables/{main}/routes",
        {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw},
        201,
    )
    subnets = [
        lab.ok("POST", "subnets", {"VpcId": vpc, "CidrBlock": "10.0.0.0/24"}, 201)["SubnetId"]
    ]
    for n, (step, value) in enumerate(steps):
        subnet = subnets[value % len(subnets)]
        if step == "subnet" and len(subnets) < 8:
            subnets.append(
                lab.ok(
                    "POST", "subnets", {"VpcId": vpc, "CidrBlock": f"10.0.{len(subnets)}.0/24"}, 201
                )["SubnetId"]
            )
        elif step in ("instance", "public-instance"):
            lab.ok(
                "POST",
                "instances",
                {"SubnetId": subnet, "AssociatePublicIpAddress": step != "instance"},
                201,
            )
        elif step == "eip" and len(lab.items("addresses", "Addresses")) < 5:
            eip = lab.ok("POST", "addresses", None, 201)["AllocationId"]
            instances = [i for i in lab.instances() if i["State"]["Name"] == "running"]
            if instances:
                lab.ok(
                    "POST",
                    f"addresses/{eip}/associate",
                    {"InstanceId": instances[value % len(instances)]["InstanceId"]},
                )
        elif step == "sg-rule":
            group = next(g for g in lab.items("security-groups", "SecurityGroups"))["GroupId"]
            lab.call(
                "POST",
                f"security-groups/{group}/authorize-ingress",
                {
                    "IpPermissions": [
                        {
                            "IpProtocol": "tcp",
                            "FromPort": value % 1024,
                            "ToPort": value % 1024,
                            "IpRanges": [{"CidrIp": f"{value % 200 + 1}.0.0.0/8"}],
                        }
                    ]
                },
            )
        elif step == "nacl":
            acl = lab.ok("POST", "network-acls", {"VpcId": vpc}, 201)["NetworkAclId"]
            lab.ok(
                "POST",
                f"network-acls/{acl}/entries",
                {
                    "RuleNumber": 100,
                    "Egress": value % 2 == 0,
                    "RuleAction": "allow",
                    "Protocol": "tcp",
                    "CidrBlock": "0.0.0.0/0",
                    "PortRange": {"From": 22, "To": 22 + value},
                },
                201,
            )
            lab.ok("POST", f"network-acls/{acl}/associate", {"SubnetId": subnet})
        elif step == "route-table":
            rtb = lab.ok("POST", "route-tables", {"VpcId": vpc}, 201)["RouteTableId"]
            lab.call("POST", f"route-tables/{rtb}/associate", {"SubnetId": subnet})
        elif step == "stop":
            running = [i for i in lab.instances() if i["State"]["Name"] == "running"]
            if running:
                lab.ok("POST", f"instances/{running[value % len(running)]['InstanceId']}/stop")
        elif step == "secondary-ip":
            enis = lab.items("network-interfaces", "NetworkInterfaces")
            if enis:
                lab.ok(
                    "POST",
                    f"network-interfaces/{enis[n % len(enis)]['NetworkInterfaceId']}"
                    "/assign-private-ip-addresses",
                    {"SecondaryPrivateIpAddressCount": 1},
                )


def analyses(lab: Lab) -> list[dict[str, Any]]:
    ends = [i["InstanceId"] for i in lab.instances()] + ["internet"]
    results = []
    for source in ends:
        for destination in ends:
            if source == destination or "internet" == source == destination:
                continue
            for protocol, port in (("tcp", 22), ("icmp", None)):
                request = {"source": source, "destination": destination, "protocol": protocol}
                if port:
                    request["destination_port"] = port
                response = lab.call("POST", "analyses?store=false", request)
                assert response.status_code in (200, 400), response.text
                results.append(response.json())
    return results


@settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_export_import_export_is_identical_and_analyses_agree(
    client: TestClient, steps: list[tuple[str, int]]
) -> None:
    original = Lab(client, name="original")
    build(original, steps)
    exported = original.ok("GET", "export")
    copy = Lab(client, name="copy")
    copy.ok("POST", "import", exported)
    assert copy.ok("GET", "export") == exported
    assert analyses(copy) == analyses(original)
