"""Lab seed-003 (how an instance gets its addresses), built from blank through the API: each
step's checks fail before it and pass after it, what the instructions say the learner will see
is what the lab shows, and a second design (other CIDR, zone, fixed addresses, an ENI made by
hand) passes too."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from app.labs import LABS_DIR, load_lab
from tests.api.lab import Lab as ApiLab

from .walk import finish, start, walk

LAB = load_lab(Path(LABS_DIR) / "seed-003-how-addresses.yaml")


class Learner:
    """One learner's way through the lab; ``design`` holds what differs between designs."""

    def __init__(self, api: ApiLab, cidr: str, subnet: str, zone: str) -> None:
        self.api, self.cidr, self.subnet_cidr, self.zone = api, cidr, subnet, zone
        self.vpc_id = self.subnet_id = self.instance_id = self.eni_id = ""

    def vpc(self) -> None:
        self.vpc_id = self.api.ok("POST", "vpcs", {"CidrBlock": self.cidr}, 201)["VpcId"]

    def subnet(self) -> None:
        body = {"VpcId": self.vpc_id, "CidrBlock": self.subnet_cidr, "AvailabilityZone": self.zone}
        self.subnet_id = self.api.ok("POST", "subnets", body, 201)["SubnetId"]

    def instance(self) -> None:
        body = {"SubnetId": self.subnet_id, "AssociatePublicIpAddress": False}
        run = self.api.ok("POST", "instances", body, 201)
        self.instance_id = run["InstanceId"]
        self.eni_id = run["NetworkInterfaces"][0]["NetworkInterfaceId"]

    def secondary_ip(self, *addresses: str) -> None:
        body = (
            {"PrivateIpAddresses": list(addresses)}
            if addresses
            else {"SecondaryPrivateIpAddressCount": 1}
        )
        self.api.ok("POST", f"network-interfaces/{self.eni_id}/assign-private-ip-addresses", body)

    def dhcp_options(self, *extra: dict[str, object]) -> None:
        configurations = [
            {"Key": "domain-name", "Values": ["corp.internal"]},
            {"Key": "domain-name-servers", "Values": ["AmazonProvidedDNS"]},
            *extra,
        ]
        made = self.api.ok("POST", "dhcp-options", {"DhcpConfigurations": configurations}, 201)
        self.api.ok(
            "POST",
            f"vpcs/{self.vpc_id}/associate-dhcp-options",
            {"DhcpOptionsId": made["DhcpOptionsId"]},
        )

    def view(self) -> dict[str, object]:
        return self.api.ok("GET", f"instances/{self.instance_id}/view")  # type: ignore[no-any-return]


def test_the_steps_follow_the_article() -> None:
    assert LAB.start == "blank"
    steps = ["vpc", "subnet", "instance", "secondary-ip", "dhcp-options"]
    assert [s.id for s in LAB.steps] == steps
    for step in LAB.steps:
        assert step.instructions.ja.strip() and step.instructions.en.strip()
        assert 1 <= len(step.checks) <= 4


def test_each_step_fails_before_and_passes_after_as_the_article_builds_it(
    client: TestClient,
) -> None:
    api = start(client, LAB)
    learner = Learner(api, "10.0.0.0/16", "10.0.0.0/24", "ap-northeast-1a")
    seen: dict[str, dict[str, object]] = {}

    def instance() -> None:
        learner.instance()
        seen["launched"] = learner.view()

    def secondary_ip() -> None:
        learner.secondary_ip()
        seen["secondary"] = learner.view()

    def dhcp_options() -> None:
        learner.dhcp_options()
        seen["dhcp"] = learner.view()

    walk(
        api,
        LAB,
        {
            "vpc": learner.vpc,
            "subnet": learner.subnet,
            "instance": instance,
            "secondary-ip": secondary_ip,
            "dhcp-options": dhcp_options,
        },
    )
    # What the instructions promise the learner will see.
    launched = seen["launched"]
    assert launched["private_dns_name"] == "ip-10-0-0-4.ap-northeast-1.compute.internal"
    assert launched["public_dns_name"] is None and launched["public_ip"] is None
    assert launched["resolv_conf"] == [
        "search ap-northeast-1.compute.internal",
        "nameserver 10.0.0.2",
    ]
    assert seen["secondary"]["interfaces"] == [  # type: ignore[comparison-overlap]
        {
            "device": "eth0",
            "network_interface_id": learner.eni_id,
            "subnet_id": learner.subnet_id,
            "private_ips": ["10.0.0.4", "10.0.0.5"],
        }
    ]
    after = seen["dhcp"]
    assert after["resolv_conf"] == ["search corp.internal", "nameserver 10.0.0.2"]
    assert after["private_dns_name"] == "ip-10-0-0-4.ap-northeast-1.compute.internal"
    notes = " ".join(str(n) for n in after["notes"])  # type: ignore[attr-defined]
    # The hint: the short name no longer resolves, the full one still does.
    assert "ip-10-0-0-4.corp.internal, a name the Amazon DNS server does not know" in notes
    assert "use ip-10-0-0-4.ap-northeast-1.compute.internal" in notes


def test_a_second_design_passes_every_step(client: TestClient) -> None:
    """Another block, zone and subnet size; an ENI made by hand with a fixed primary address and
    a chosen secondary one, the instance launched on it; a set with NTP servers too."""
    api = start(client, LAB, name="second")
    learner = Learner(api, "10.50.0.0/16", "10.50.8.0/22", "ap-northeast-1c")

    def instance() -> None:
        eni = api.ok(
            "POST",
            "network-interfaces",
            {"SubnetId": learner.subnet_id, "PrivateIpAddress": "10.50.8.122"},
            201,
        )
        learner.eni_id = eni["NetworkInterfaceId"]
        run = api.ok("POST", "instances", {"NetworkInterfaceId": learner.eni_id}, 201)
        learner.instance_id = run["InstanceId"]

    finish(
        api,
        LAB,
        {
            "vpc": learner.vpc,
            "subnet": learner.subnet,
            "instance": instance,
            "secondary-ip": lambda: learner.secondary_ip("10.50.9.200"),
            "dhcp-options": lambda: learner.dhcp_options(
                {"Key": "ntp-servers", "Values": ["169.254.169.123"]}
            ),
        },
    )
    assert learner.view()["private_dns_name"] == "ip-10-50-8-122.ap-northeast-1.compute.internal"
