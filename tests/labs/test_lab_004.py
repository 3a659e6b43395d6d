"""Lab 004 (a fixed private IP on a hand-made ENI with an Elastic IP) built from blank over the
API: every step's checks fail before the step and pass after it; the flows in and out behave as
the article draws them; a second, different but correct design passes every check too."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.labs import LABS_DIR, load_lab
from tests.api.lab import Lab as ApiLab

from .walk import evaluate_step, finish, start, walk

LAB = load_lab(LABS_DIR / "seed-004-fixed-ip-eni.yaml")
STEPS = [step.id for step in LAB.steps]


def tag(name: str) -> list[dict[str, str]]:
    return [{"Key": "Name", "Value": name}]


def rule(port: int, cidr: str = "0.0.0.0/0") -> dict[str, Any]:
    return {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "IpRanges": [{"CidrIp": cidr}]}


class Design:
    """What a learner does in each step, with one design's addresses and choices."""

    def __init__(
        self,
        api: ApiLab,
        vpc_cidr: str = "10.0.0.0/16",
        subnet_cidr: str = "10.0.1.0/24",
        zone: str = "ap-northeast-1a",
        own_route_table: bool = False,
        ports: tuple[int, ...] = (22, 80, 443),
        names: str = "Atsushi",
    ) -> None:
        self.api, self.vpc_cidr, self.subnet_cidr, self.zone = api, vpc_cidr, subnet_cidr, zone
        self.own_route_table, self.ports, self.names = own_route_table, ports, names
        self.ids: dict[str, str] = {}

    def actions(self) -> dict[str, Any]:
        return dict(
            zip(
                STEPS,
                [
                    self.vpc_and_subnet,
                    self.internet,
                    self.security_group,
                    self.network_interface,
                    self.elastic_ip,
                    self.instance,
                    self.remove_outbound_rule,
                    self.remove_default_route,
                    self.add_default_route,
                ],
                strict=True,
            )
        )

    def vpc_and_subnet(self) -> None:
        body = {"CidrBlock": self.vpc_cidr, "Tags": tag(f"vpc-{self.names}")}
        vpc = self.api.ok("POST", "vpcs", body, 201)
        self.ids["vpc"] = vpc["VpcId"]
        zone = self.zone
        subnet = {"VpcId": vpc["VpcId"], "CidrBlock": self.subnet_cidr, "AvailabilityZone": zone}
        self.ids["subnet"] = self.api.ok("POST", "subnets", subnet, 201)["SubnetId"]

    def internet(self) -> None:
        igw = self.api.ok("POST", "internet-gateways", {}, 201)["InternetGatewayId"]
        self.ids["igw"] = igw
        self.api.ok("POST", f"internet-gateways/{igw}/attach", {"VpcId": self.ids["vpc"]})
        if self.own_route_table:
            table = self.api.ok("POST", "route-tables", {"VpcId": self.ids["vpc"]}, 201)
            self.ids["route_table"] = table["RouteTableId"]
            associate = {"SubnetId": self.ids["subnet"]}
            self.api.ok("POST", f"route-tables/{self.ids['route_table']}/associate", associate)
        else:
            main = self.api.items("route-tables", "RouteTables")[0]
            self.ids["route_table"] = main["RouteTableId"]
        self.add_default_route()

    def add_default_route(self) -> None:
        body = {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": self.ids["igw"]}
        self.api.ok("POST", f"route-tables/{self.ids['route_table']}/routes", body, 201)

    def remove_default_route(self) -> None:
        query = {"DestinationCidrBlock": "0.0.0.0/0"}
        self.api.ok("DELETE", f"route-tables/{self.ids['route_table']}/routes", params=query)

    def security_group(self) -> None:
        name = f"seg-g_wp_{self.names}"
        body = {"GroupName": name, "Description": "wp", "VpcId": self.ids["vpc"]}
        self.ids["sg"] = self.api.ok("POST", "security-groups", body, 201)["GroupId"]
        for port in self.ports:
            permissions = {"IpPermissions": [rule(port)]}
            self.api.ok("POST", f"security-groups/{self.ids['sg']}/authorize-ingress", permissions)

    def network_interface(self) -> None:
        body = {
            "SubnetId": self.ids["subnet"],
            "PrivateIpAddress": "10.0.1.11",
            "Groups": [self.ids["sg"]],
            "Tags": tag(f"eni-wp-{self.names}"),
        }
        eni = self.api.ok("POST", "network-interfaces", body, 201)
        self.ids["eni"] = eni["NetworkInterfaceId"]

    def elastic_ip(self) -> None:
        allocate = {"Domain": "vpc", "Tags": tag(f"eip-{self.names}")}
        eip = self.api.ok("POST", "addresses", allocate, 201)
        self.ids["eip"] = eip["PublicIp"]
        body = {"NetworkInterfaceId": self.ids["eni"], "PrivateIpAddress": "10.0.1.11"}
        self.api.ok("POST", f"addresses/{eip['AllocationId']}/associate", body)

    def instance(self) -> None:
        body = {"NetworkInterfaceId": self.ids["eni"], "KeyName": "key-wp", "Tags": tag("ec2-wp")}
        instance = self.api.ok("POST", "instances", body, 201)
        assert instance["PrivateIpAddress"] == "10.0.1.11"
        self.ids["instance"] = instance["InstanceId"]

    def remove_outbound_rule(self) -> None:
        everything = {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        body = {"IpPermissions": [everything]}
        self.api.ok("POST", f"security-groups/{self.ids['sg']}/revoke-egress", body)


def index(step_id: str) -> int:
    return STEPS.index(step_id)


def test_the_articles_design_passes_each_step_only_once_it_is_done(client: TestClient) -> None:
    api = start(client, LAB)
    article = Design(api)
    walk(api, LAB, article.actions())
    # Done in order, the flows end as the article draws them: SSH there and back, and the
    # instance starts nothing once its group has no outbound rule (stateful: replies still go).
    for step in ("instance", "stateful", "restore-default-route"):
        results = evaluate_step(client, api.id, LAB, index(step))
        assert all(result.passed for result in results.values()), (step, results)


def test_without_the_default_route_the_reply_is_what_is_blocked(client: TestClient) -> None:
    """The request arrives through the internet gateway; the reply finds no route back."""
    api = start(client, LAB)
    article = Design(api)
    actions = article.actions()
    for step in STEPS[: index("remove-default-route") + 1]:
        actions[step]()
    result = evaluate_step(client, api.id, LAB, index("remove-default-route"))["ssh-without-route"]
    assert result.passed and result.analysis is not None
    forward, back = result.analysis.forward_path, result.analysis.return_path
    assert not [hop for hop in forward if hop.action == "blocked"]
    assert forward[-1].component.id == article.ids["instance"]
    blocked = [hop for hop in back if hop.action == "blocked"]
    assert [hop.component.type for hop in blocked] == ["route-table"]
    assert blocked[0].component.id == article.ids["route_table"]


def test_another_correct_design_passes_every_check(client: TestClient) -> None:
    """The article's address 10.0.1.11 is the lesson, so it stays; around it: a smaller VPC
    and subnet, another zone and names, a route table of its own, the rules added in another
    order."""
    api = start(client, LAB, name="other")
    other = Design(
        api,
        vpc_cidr="10.0.0.0/20",
        subnet_cidr="10.0.1.0/26",
        zone="ap-northeast-1c",
        own_route_table=True,
        ports=(443, 80, 22),
        names="second",
    )
    finish(api, LAB, other.actions())
