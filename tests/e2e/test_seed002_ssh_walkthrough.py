"""Seed 002 in the browser, from an empty topology, as a learner builds it; then broken twice."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .ui import (
    choose,
    click_in_diagram,
    open_create,
    run_test_connection,
    screenshot,
    settle,
    submit,
)

pytestmark = pytest.mark.browser

SSH_FORWARD = ["Internet gateway", "Network ACL", "Security group", "Network interface", "Instance"]


def build_seed_002(page: Any) -> None:
    page.goto(page.base + "/")
    page.fill("#new-name", "Seed 002 — SSH from home")
    page.click("button:text-is('Create topology')")
    page.wait_for_url(re.compile(r"/topologies/\w+$"))

    open_create(page, "VPC")
    page.fill("#create-vpc-Name", "myvpc")
    page.fill("#create-vpc-CidrBlock", "192.168.0.0/16")
    submit(page, "Create VPC")

    for number, zone in ((1, "ap-northeast-1b"), (2, "ap-northeast-1c")):
        open_create(page, "Subnet")
        page.fill("#create-subnet-Name", f"mysubnet-000{number}")
        page.select_option("#create-subnet-AvailabilityZone", zone)
        page.fill("#create-subnet-CidrBlock", f"192.168.{number}.0/24")
        submit(page, "Create subnet")
        assert "251" in page.inner_text(".props")  # 256 minus the 5 AWS reserves

    open_create(page, "Internet gateway")
    page.fill("#create-igw-Name", "mygateway")
    submit(page, "Create internet gateway")
    submit(page, "Attach to VPC")
    assert "attached to" in page.inner_text(".props").lower()

    click_in_diagram(page, "a.chip-route-table", "(main)")
    page.fill("#create-route-DestinationCidrBlock", "0.0.0.0/0")
    choose(page, "#create-route-Target", "mygateway")
    submit(page, "Add route")

    open_create(page, "Security group")
    page.fill("#create-sg-GroupName", "ssh")
    page.fill("#create-sg-Description", "SSH from anywhere")
    submit(page, "Create security group")
    page.select_option("#authorize-sg-Type", "ssh")
    submit(page, "Add a security group rule")
    assert "SSH TCP 22 0.0.0.0/0" in page.inner_text(".inspector")

    for number in (1, 2):
        open_create(page, "Instance")
        page.fill("#launch-instance-Name", f"myinstance-000{number}")
        choose(page, "#launch-instance-SubnetId", f"mysubnet-000{number}")
        choose(page, "#launch-instance-SecurityGroupIds", "ssh (")
        page.fill("#launch-instance-KeyName", "mykeypair")
        page.fill("#launch-instance-PrivateIpAddress", f"192.168.{number}.4")
        submit(page, "Launch an instance")

        open_create(page, "Elastic IP")
        submit(page, "Allocate Elastic IP")
        choose(page, "#associate-eip-Target", f"myinstance-000{number}")
        submit(page, "Associate Elastic IP")
        assert f"192.168.{number}.4" in page.inner_text(".props")


def test_ssh_from_home_then_a_missing_route_then_a_nacl_without_ephemeral_ports(
    browser_page: Any,
) -> None:
    page = browser_page
    build_seed_002(page)

    ssh = run_test_connection(
        page,
        source="The internet",
        source_ip="203.0.113.5",
        destination="myinstance-0001",
        preset="ssh",
    )
    assert ssh["verdict"].startswith("✔ Reachable")
    assert ssh["forward"] == SSH_FORWARD
    assert ssh["forward_actions"][0] == "TRANSLATED"
    assert ssh["return"][-2:] == ["Internet gateway", "Internet"]
    assert "100 ALL ALL 0.0.0.0/0 ALLOW" in page.inner_text(".path-fwd")
    assert page.locator("svg.diagram .on-forward").count() >= 3  # the path, drawn
    screenshot(page, "seed002-workspace-reachable")

    # Break it: remove the route to the internet gateway. The request still arrives, but the
    # reply has no way out (seed 002's warning).
    click_in_diagram(page, "a.chip-route-table", "(main)")
    submit(page, "Remove route 0.0.0.0/0")
    broken = run_test_connection(
        page,
        source="The internet",
        source_ip="203.0.113.5",
        destination="myinstance-0001",
        preset="ssh",
    )
    assert broken["verdict"].startswith("✘ Not reachable")
    assert broken["codes"] == ["NO_ROUTE_TO_DESTINATION"]
    assert "Add the route 0.0.0.0/0 → igw-" in broken["explanations"][0]
    assert page.locator(".path-ret .hop-blocked").count() == 1
    screenshot(page, "seed002-route-removed")

    # Put the route back, then a custom NACL that allows SSH both ways but no ephemeral ports.
    click_in_diagram(page, "a.chip-route-table", "(main)")
    page.fill("#create-route-DestinationCidrBlock", "0.0.0.0/0")
    choose(page, "#create-route-Target", "mygateway")
    submit(page, "Add route")
    open_create(page, "Network ACL")
    page.fill("#create-nacl-Name", "ssh-only")
    submit(page, "Create network ACL")
    for direction in ("ingress", "egress"):
        page.fill("#create-nacl-entry-RuleNumber", "100")
        page.select_option("#create-nacl-entry-Direction", direction)
        page.select_option("#create-nacl-entry-Type", "ssh")
        page.fill("#create-nacl-entry-CidrBlock", "0.0.0.0/0")
        submit(page, "Add a network ACL rule")
    choose(page, "#associate-nacl-SubnetId", "mysubnet-0001")
    submit(page, "Associate a subnet")
    nacl = run_test_connection(
        page,
        source="The internet",
        source_ip="203.0.113.5",
        destination="myinstance-0001",
        preset="ssh",
    )
    assert nacl["codes"] == ["SUBNET_ACL_RESTRICTION"]
    assert "1024-65535" in nacl["explanations"][0]
    assert "return path, egress" in nacl["explanations"][0]
    screenshot(page, "seed002-nacl-without-ephemeral-ports")


def test_ping_is_blocked_and_the_instance_does_not_see_its_eip(browser_page: Any) -> None:
    page = browser_page
    build_seed_002(page)
    ping = run_test_connection(
        page, source="The internet", destination="myinstance-0002", preset="ping"
    )
    assert ping["codes"] == ["ENI_SG_RULES_MISMATCH"]
    assert "icmp echo-request" in ping["explanations"][0]

    click_in_diagram(page, "a.node-instance", "myinstance-0001")
    page.click("text=What the instance sees")
    settle(page)
    text = page.inner_text("main")
    assert "inet 192.168.1.4/24 brd 192.168.1.255 scope global eth0" in text
    assert "default via 192.168.1.1 dev eth0" in text
    public = page.inner_text("dt:has-text('Public IP') + dd").strip()
    assert public not in page.inner_text("pre")
    screenshot(page, "seed002-instance-view")
