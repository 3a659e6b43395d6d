"""Seed 001 in the browser: a public web server (bastion) and a private database that updates
itself through a NAT gateway; saved tests re-run after an edit as a regression suite."""

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
    submit,
    swapped,
)

pytestmark = pytest.mark.browser


def route(page: Any, table: str, target: str) -> None:
    click_in_diagram(page, "a.chip-route-table", table)
    page.fill("#create-route-DestinationCidrBlock", "0.0.0.0/0")
    choose(page, "#create-route-Target", target)
    submit(page, "Add route")


def build_seed_001(page: Any) -> None:
    page.goto(page.base + "/")
    page.fill("#new-name", "Seed 001 — private DB behind NAT")
    page.click("button:text-is('Create topology')")
    page.wait_for_url(re.compile(r"/topologies/\w+$"))
    open_create(page, "VPC")
    page.fill("#create-vpc-Name", "lab-vpc")
    page.fill("#create-vpc-CidrBlock", "172.30.0.0/16")
    submit(page, "Create VPC")
    for name, cidr, public in (
        ("public-subnet", "172.30.0.0/24", True),
        ("private-subnet", "172.30.1.0/24", False),
    ):
        open_create(page, "Subnet")
        page.fill("#create-subnet-Name", name)
        page.select_option("#create-subnet-AvailabilityZone", "ap-northeast-1a")
        page.fill("#create-subnet-CidrBlock", cidr)
        if public:
            page.check("#create-subnet-MapPublicIpOnLaunch")
        submit(page, "Create subnet")
    open_create(page, "Internet gateway")
    page.fill("#create-igw-Name", "lab-igw")
    submit(page, "Create internet gateway")
    submit(page, "Attach to VPC")
    for name, subnet in (("public-rt", "public-subnet"), ("private-rt", "private-subnet")):
        open_create(page, "Route table")
        page.fill("#create-route-table-Name", name)
        submit(page, "Create route table")
        choose(page, "#associate-route-table-SubnetId", subnet)
        submit(page, "Associate a subnet")
    route(page, "public-rt", "lab-igw")
    open_create(page, "Security group")
    page.fill("#create-sg-GroupName", "web")
    page.fill("#create-sg-Description", "SSH and HTTP from anywhere")
    submit(page, "Create security group")
    for preset in ("ssh", "http"):
        page.select_option("#authorize-sg-Type", preset)
        submit(page, "Add a security group rule")
    for name, subnet, groups in (
        ("web-server", "public-subnet", ("web (", "default (")),
        ("db-server", "private-subnet", ("default (",)),
    ):
        open_create(page, "Instance")
        page.fill("#launch-instance-Name", name)
        choose(page, "#launch-instance-SubnetId", subnet)
        choose(page, "#launch-instance-SecurityGroupIds", *groups)
        submit(page, "Launch an instance")
    open_create(page, "NAT gateway")
    page.fill("#create-nat-Name", "lab-nat")
    choose(page, "#create-nat-SubnetId", "public-subnet")
    submit(page, "Create NAT gateway")
    route(page, "private-rt", "lab-nat")


def test_the_private_database_goes_out_through_the_nat_gateway(browser_page: Any) -> None:
    page = browser_page
    build_seed_001(page)

    update = run_test_connection(
        page, source="db-server", destination="The internet", preset="https"
    )
    assert update["verdict"].startswith("✔ Reachable"), update["explanations"]
    assert "NAT gateway" in update["forward"]
    nat_at = update["forward"].index("NAT gateway")
    assert update["forward_actions"][nat_at] == "TRANSLATED"
    assert update["forward"].index("Internet gateway") > nat_at
    assert "NAT gateway" in update["return"]  # the reply is translated back
    screenshot(page, "seed001-nat-reachable")

    bastion = run_test_connection(page, source="web-server", destination="db-server", preset="ssh")
    assert bastion["verdict"].startswith("✔ Reachable"), bastion["explanations"]

    inbound = run_test_connection(
        page, source="The internet", destination="db-server", preset="ssh"
    )
    assert inbound["codes"] == ["IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"]


def test_saved_tests_rerun_after_an_edit_show_pass_and_fail(browser_page: Any) -> None:
    page = browser_page
    build_seed_001(page)
    for source, destination, preset in (
        ("db-server", "The internet", "https"),
        ("web-server", "db-server", "ssh"),
    ):
        choose(page, "#test-source", source)
        choose(page, "#test-destination", destination)
        page.select_option("#test-preset", preset)
        swapped(page, lambda: page.click("button:text-is('Test and save')"))
    assert page.locator(".saved-list .badge").all_inner_texts() == ["PASS", "PASS"]

    click_in_diagram(page, "a.node-nat-gateway")
    page.once("dialog", lambda dialog: dialog.accept())  # "Delete NAT gateway …?"
    submit(page, "Delete NAT gateway")
    swapped(page, lambda: page.click("button:text-is('Re-run all saved tests')"))
    assert page.locator(".saved-list .badge").all_inner_texts() == ["FAIL", "PASS"]
    assert "1 pass, 1 fail" in page.inner_text(".saved")
    screenshot(page, "seed001-saved-tests-after-nat-deleted")
