"""Lab 002 (SSH from home) built from blank over the API: every step's checks fail before the
step and pass after it; a second, different but correct design passes every check too."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.labs import LABS_DIR, Lab, load_lab
from tests.api.lab import Lab as ApiLab

from .walk import evaluate_step, finish, start, walk

LAB = load_lab(LABS_DIR / "seed-002-ssh-from-home.yaml")


def rule(protocol: str, port: int, cidr: str = "0.0.0.0/0") -> dict[str, Any]:
    return {
        "IpProtocol": protocol,
        "FromPort": port,
        "ToPort": port,
        "IpRanges": [{"CidrIp": cidr}],
    }


def tag(name: str) -> list[dict[str, str]]:
    return [{"Key": "Name", "Value": name}]


class Design:
    """What a learner does in each step, with one design's addresses and choices."""

    def __init__(self, api: ApiLab, vpc_cidr: str, subnets: list[tuple[str, str, str]]) -> None:
        self.api, self.vpc_cidr, self.subnets = api, vpc_cidr, subnets
        self.ids: dict[str, Any] = {}

    def vpc(self) -> None:
        body = {"CidrBlock": self.vpc_cidr, "Tags": tag("myvpc")}
        self.ids["vpc"] = self.api.ok("POST", "vpcs", body, 201)["VpcId"]

    def internet_gateway(self) -> None:
        igw = self.api.ok("POST", "internet-gateways", {"Tags": tag("mygateway")}, 201)
        self.ids["igw"] = igw["InternetGatewayId"]
        self.api.ok(
            "POST", f"internet-gateways/{self.ids['igw']}/attach", {"VpcId": self.ids["vpc"]}
        )

    def make_subnets(self) -> None:
        self.ids["subnets"] = []
        for name, cidr, zone in self.subnets:
            body = {"VpcId": self.ids["vpc"], "CidrBlock": cidr, "AvailabilityZone": zone}
            subnet = self.api.ok("POST", "subnets", body | {"Tags": tag(name)}, 201)
            # The article's point: 5 of a /24's 256 addresses are AWS's.
            assert subnet["AvailableIpAddressCount"] == 251
            self.ids["subnets"].append(subnet["SubnetId"])

    def route_in_main_table(self) -> None:
        main = self.api.items("route-tables", "RouteTables")[0]
        self.route(main["RouteTableId"])

    def route(self, table_id: str) -> None:
        body = {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": self.ids["igw"]}
        self.api.ok("POST", f"route-tables/{table_id}/routes", body, 201)

    def security_group(self, ssh_from: str = "0.0.0.0/0") -> None:
        body = {"GroupName": "ssh", "Description": "SSH", "VpcId": self.ids["vpc"]}
        self.ids["sg"] = self.api.ok("POST", "security-groups", body, 201)["GroupId"]
        permissions = {"IpPermissions": [rule("tcp", 22, ssh_from)]}
        self.api.ok("POST", f"security-groups/{self.ids['sg']}/authorize-ingress", permissions)

    def instances(self, private_ips: list[str | None]) -> None:
        self.ids["instances"] = []
        pairs = zip(self.ids["subnets"], private_ips, strict=True)
        for index, (subnet_id, address) in enumerate(pairs):
            body: dict[str, Any] = {
                "SubnetId": subnet_id,
                "SecurityGroupIds": [self.ids["sg"]],
                "KeyName": "mykeypair",
                "Tags": tag(f"myinstance-000{index + 1}"),
            }
            if address:
                body["PrivateIpAddress"] = address
            instance = self.api.ok("POST", "instances", body, 201)
            self.ids["instances"].append(instance)

    def elastic_ips(self, by_interface: bool = False) -> None:
        for instance in self.ids["instances"]:
            eip = self.api.ok("POST", "addresses", {"Domain": "vpc"}, 201)
            target = (
                {"NetworkInterfaceId": instance["NetworkInterfaces"][0]["NetworkInterfaceId"]}
                if by_interface
                else {"InstanceId": instance["InstanceId"]}
            )
            self.api.ok("POST", f"addresses/{eip['AllocationId']}/associate", target)

    def allow_ping(self, source: str = "0.0.0.0/0") -> None:
        permission = {"IpProtocol": "icmp", "FromPort": -1, "ToPort": -1}
        permission["IpRanges"] = [{"CidrIp": source}]  # type: ignore[assignment]
        body = {"IpPermissions": [permission]}
        self.api.ok("POST", f"security-groups/{self.ids['sg']}/authorize-ingress", body)


def test_the_articles_design_passes_each_step_only_once_it_is_done(client: TestClient) -> None:
    api = start(client, LAB)
    article = Design(
        api,
        "192.168.0.0/16",
        [
            ("mysubnet-0001", "192.168.1.0/24", "ap-northeast-1b"),
            ("mysubnet-0002", "192.168.2.0/24", "ap-northeast-1c"),
        ],
    )
    walk(
        api,
        LAB,
        {
            "vpc": article.vpc,
            "internet-gateway": article.internet_gateway,
            "subnets": article.make_subnets,
            "route-to-igw": article.route_in_main_table,
            "security-group": article.security_group,
            "instances": lambda: article.instances(["192.168.1.4", "192.168.2.4"]),
            "elastic-ips": article.elastic_ips,
            "allow-ping": article.allow_ping,
        },
    )


def test_why_ping_fails_is_the_security_group(client: TestClient) -> None:
    """Before the ping step, the trace of the failed ping names the security group."""
    api = start(client, LAB)
    article = Design(
        api,
        "192.168.0.0/16",
        [("a", "192.168.1.0/24", "ap-northeast-1b"), ("b", "192.168.2.0/24", "ap-northeast-1c")],
    )
    for action in (
        article.vpc,
        article.internet_gateway,
        article.make_subnets,
        article.route_in_main_table,
        article.security_group,
        lambda: article.instances([None, None]),
        article.elastic_ips,
    ):
        action()
    result = evaluate_step(client, api.id, LAB, step_index(LAB, "allow-ping"))["ping-reaches"]
    assert not result.passed and result.code == "blocked"
    assert result.analysis is not None
    blocking = {(e.component.type, e.component.id) for e in result.analysis.explanations}
    assert blocking == {("security-group", article.ids["sg"])}


def step_index(lab: Lab, step_id: str) -> int:
    return [step.id for step in lab.steps].index(step_id)


def test_another_correct_design_passes_every_check(client: TestClient) -> None:
    """Other CIDRs, zones and names; a route table of its own instead of the main one; SSH and
    ping only from home; addresses picked by AWS; Elastic IPs associated by interface."""
    api = start(client, LAB, name="other")
    other = Design(
        api,
        "10.20.0.0/16",
        [
            ("web-a", "10.20.64.0/24", "ap-northeast-1a"),
            ("web-d", "10.20.200.0/24", "ap-northeast-1d"),
        ],
    )

    def own_route_table() -> None:
        table = api.ok("POST", "route-tables", {"VpcId": other.ids["vpc"]}, 201)["RouteTableId"]
        other.route(table)
        for subnet_id in other.ids["subnets"]:
            api.ok("POST", f"route-tables/{table}/associate", {"SubnetId": subnet_id})

    finish(
        api,
        LAB,
        {
            "vpc": other.vpc,
            "internet-gateway": other.internet_gateway,
            "subnets": other.make_subnets,
            "route-to-igw": own_route_table,
            "security-group": lambda: other.security_group("203.0.113.0/24"),
            "instances": lambda: other.instances([None, None]),
            "elastic-ips": lambda: other.elastic_ips(by_interface=True),
            "allow-ping": lambda: other.allow_ping("203.0.113.5/32"),
        },
    )
