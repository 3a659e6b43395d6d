"""Lab seed-001 (public and private subnets, bastion, NAT gateway, MariaDB, network ACL and
ephemeral ports), built from blank through the API: each step's checks fail before it and pass
after it, and a second design (other CIDRs, zone and names, the NAT route in the main table,
CIDR sources instead of group references, rules in another order) passes too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from app.labs import LABS_DIR, load_lab
from tests.api.lab import Lab as ApiLab

from .walk import evaluate_step, finish, start, walk

LAB = load_lab(Path(LABS_DIR) / "seed-001-public-private-nat.yaml")


def tcp(port: int, to: int | None = None, **source: Any) -> dict[str, Any]:
    """One security group permission: ``cidr=`` or ``group=`` as its source."""
    rule: dict[str, Any] = {"IpProtocol": "tcp", "FromPort": port, "ToPort": to or port}
    if "cidr" in source:
        rule["IpRanges"] = [{"CidrIp": source["cidr"]}]
    else:
        rule["UserIdGroupPairs"] = [{"GroupId": source["group"]}]
    return rule


class Learner:
    """One learner's network; each method is what the learner does in one step."""

    def __init__(self, api: ApiLab, vpc: str, public: str, private: str, zone: str) -> None:
        self.api, self.vpc_cidr, self.zone = api, vpc, zone
        self.public_cidr, self.private_cidr = public, private
        self.ids: dict[str, str] = {}

    def create(self, collection: str, body: dict[str, Any], key: str) -> str:
        return str(self.api.ok("POST", collection, body, 201)[key])

    def vpc(self) -> None:
        self.ids["vpc"] = self.create("vpcs", {"CidrBlock": self.vpc_cidr}, "VpcId")

    def subnets(self) -> None:
        for role, cidr, public in (
            ("public", self.public_cidr, True),
            ("private", self.private_cidr, False),
        ):
            body = {
                "VpcId": self.ids["vpc"],
                "CidrBlock": cidr,
                "AvailabilityZone": self.zone,
                "MapPublicIpOnLaunch": public,
                "Tags": [{"Key": "Name", "Value": f"{role}-{cidr}"}],
            }
            self.ids[role] = self.create("subnets", body, "SubnetId")

    def internet_gateway(self) -> None:
        igw = self.create("internet-gateways", {}, "InternetGatewayId")
        self.api.ok("POST", f"internet-gateways/{igw}/attach", {"VpcId": self.ids["vpc"]})
        self.ids["igw"] = igw

    def route_table(self, subnet: str, **target: str) -> None:
        """A table of the subnet's own with 0.0.0.0/0 to ``target`` (GatewayId=…, …)."""
        rtb = self.create("route-tables", {"VpcId": self.ids["vpc"]}, "RouteTableId")
        route = {"DestinationCidrBlock": "0.0.0.0/0", **target}
        self.api.ok("POST", f"route-tables/{rtb}/routes", route, 201)
        self.api.ok("POST", f"route-tables/{rtb}/associate", {"SubnetId": self.ids[subnet]})

    def public_route(self) -> None:
        self.route_table("public", GatewayId=self.ids["igw"])

    def group(self, name: str, *inbound: dict[str, Any]) -> str:
        body = {"GroupName": name, "Description": name, "VpcId": self.ids["vpc"]}
        group = self.create("security-groups", body, "GroupId")
        if inbound:
            self.authorize(group, *inbound)
        return group

    def authorize(self, group: str, *inbound: dict[str, Any]) -> None:
        self.api.ok(
            "POST", f"security-groups/{group}/authorize-ingress", {"IpPermissions": list(inbound)}
        )

    def launch(self, subnet: str, group: str) -> str:
        body = {"SubnetId": self.ids[subnet], "SecurityGroupIds": [group]}
        return self.create("instances", body, "InstanceId")

    def web_server(self) -> None:
        self.ids["web-sg"] = self.group("webserverSG", tcp(22, cidr="0.0.0.0/0"))
        self.ids["web"] = self.launch("public", self.ids["web-sg"])

    def db_server(self) -> None:
        self.ids["db-sg"] = self.group("dbserverSG", tcp(22, group=self.ids["web-sg"]))
        self.ids["db"] = self.launch("private", self.ids["db-sg"])

    def nat_gateway(self) -> None:
        eip = self.create("addresses", {}, "AllocationId")
        body = {"SubnetId": self.ids["public"], "AllocationId": eip}
        self.ids["nat"] = self.create("nat-gateways", body, "NatGatewayId")
        self.route_table("private", NatGatewayId=self.ids["nat"])

    def mariadb(self) -> None:
        self.authorize(self.ids["db-sg"], tcp(3306, group=self.ids["web-sg"]))

    def entry(self, number: int, egress: bool, cidr: str, ports: tuple[int, int]) -> None:
        body = {
            "RuleNumber": number,
            "Egress": egress,
            "RuleAction": "allow",
            "Protocol": "tcp",
            "CidrBlock": cidr,
            "PortRange": {"From": ports[0], "To": ports[1]},
        }
        self.api.ok("POST", f"network-acls/{self.ids['acl']}/entries", body, 201)

    def network_acl(self) -> None:
        self.ids["acl"] = self.create("network-acls", {"VpcId": self.ids["vpc"]}, "NetworkAclId")
        self.entry(100, False, self.public_cidr, (22, 22))
        self.entry(110, False, self.public_cidr, (3306, 3306))
        self.entry(100, True, "0.0.0.0/0", (443, 443))
        acl = self.ids["acl"]
        self.api.ok("POST", f"network-acls/{acl}/associate", {"SubnetId": self.ids["private"]})

    def ephemeral_ports(self) -> None:
        self.entry(110, True, self.public_cidr, (1024, 65535))
        self.entry(120, False, "0.0.0.0/0", (1024, 65535))

    def actions(self) -> dict[str, Any]:
        return {step.id: getattr(self, step.id.replace("-", "_")) for step in LAB.steps}


def test_the_steps_follow_the_article() -> None:
    assert LAB.start == "blank"
    assert [s.id for s in LAB.steps] == [
        "vpc",
        "subnets",
        "internet-gateway",
        "public-route",
        "web-server",
        "db-server",
        "nat-gateway",
        "mariadb",
        "network-acl",
        "ephemeral-ports",
    ]


def test_each_step_fails_before_and_passes_after_as_the_article_builds_it(
    client: TestClient,
) -> None:
    api = start(client, LAB)
    learner = Learner(api, "172.30.0.0/16", "172.30.0.0/24", "172.30.1.0/24", "ap-northeast-1a")
    walk(api, LAB, learner.actions())


def test_the_forgotten_ephemeral_ports_show_as_the_network_acl_dropping_the_reply(
    client: TestClient,
) -> None:
    """What the learner sees on the failing check of the ephemeral-ports step: the reply is
    blocked by the custom network ACL, with the analysis to explain it."""
    api = start(client, LAB)
    learner = Learner(api, "172.30.0.0/16", "172.30.0.0/24", "172.30.1.0/24", "ap-northeast-1a")
    actions = learner.actions()
    for step in LAB.steps[:-1]:
        actions[step.id]()
    index = [s.id for s in LAB.steps].index("ephemeral-ports")
    results = evaluate_step(client, api.id, LAB, index)
    assert {i: r.code for i, r in results.items()} == {
        "ssh-web-to-db-again": "blocked",
        "mariadb-web-to-db-again": "blocked",
        "db-https-out-again": "blocked",
    }
    for check_id in results:
        analysis = results[check_id].analysis
        assert analysis is not None
        # The request gets through (the step's hint says so); the reply is what is dropped,
        # by the learner's network ACL, on its way to an ephemeral port.
        assert not [h for h in analysis.forward_path if h.action == "blocked"], check_id
        [blocked] = [h for h in analysis.return_path if h.action == "blocked"]
        assert blocked.component.id == learner.ids["acl"], check_id
        assert blocked.inbound_header.destination_port is not None
        assert 1024 <= blocked.inbound_header.destination_port <= 65535, check_id


def test_a_second_design_passes_every_step(client: TestClient) -> None:
    """10.50.0.0/16 in another zone, a /20 public subnet; SSH allowed from the learner's PC
    only; the database group's rules by CIDR and in the other order; the private subnet kept on
    the main route table, which sends 0.0.0.0/0 to the NAT gateway; network ACL rules with other
    numbers, the replies allowed to anywhere."""
    api = start(client, LAB, name="second")
    learner = Learner(api, "10.50.0.0/16", "10.50.128.0/20", "10.50.0.0/24", "ap-northeast-1c")

    def web_server() -> None:
        learner.ids["web-sg"] = learner.group("bastion", tcp(22, cidr="203.0.113.5/32"))
        learner.ids["web"] = learner.launch("public", learner.ids["web-sg"])

    def db_server() -> None:
        learner.ids["db-sg"] = learner.group("database")
        learner.ids["db"] = learner.launch("private", learner.ids["db-sg"])
        learner.authorize(learner.ids["db-sg"], tcp(22, cidr=learner.public_cidr))

    def nat_gateway() -> None:
        eip = learner.create("addresses", {}, "AllocationId")
        body = {"SubnetId": learner.ids["public"], "AllocationId": eip}
        nat = learner.create("nat-gateways", body, "NatGatewayId")
        main = next(
            t
            for t in api.items("route-tables", "RouteTables")
            if t["VpcId"] == learner.ids["vpc"]
            and any(a.get("Main") for a in t.get("Associations", []))
        )
        route = {"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": nat}
        api.ok("POST", f"route-tables/{main['RouteTableId']}/routes", route, 201)

    def mariadb() -> None:
        learner.authorize(learner.ids["db-sg"], tcp(3306, cidr=learner.public_cidr))

    def network_acl() -> None:
        learner.ids["acl"] = learner.create(
            "network-acls", {"VpcId": learner.ids["vpc"]}, "NetworkAclId"
        )
        learner.entry(50, True, "0.0.0.0/0", (443, 443))
        learner.entry(20, False, learner.public_cidr, (3306, 3306))
        learner.entry(10, False, learner.public_cidr, (22, 22))
        acl = learner.ids["acl"]
        api.ok("POST", f"network-acls/{acl}/associate", {"SubnetId": learner.ids["private"]})

    def ephemeral_ports() -> None:
        learner.entry(60, True, "0.0.0.0/0", (1024, 65535))
        learner.entry(30, False, "0.0.0.0/0", (1024, 65535))

    actions = learner.actions()
    actions.update(
        {
            "web-server": web_server,
            "db-server": db_server,
            "nat-gateway": nat_gateway,
            "mariadb": mariadb,
            "network-acl": network_acl,
            "ephemeral-ports": ephemeral_ports,
        }
    )
    finish(api, LAB, actions)
