"""Every console action: its success and its refusal, as an htmx fragment and as a plain page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from .lab import HX, Ids, every_resource_id, seed_001

Form = Callable[[Ids], dict[str, Any]]

SUCCESS: list[tuple[str, Form, str]] = [
    ("create-vpc", lambda i: {"Name": "second", "CidrBlock": "10.9.0.0/16"}, "10.9.0.0/16"),
    (
        "create-dhcp",
        lambda i: {"Name": "corp", "DomainName": "corp.example", "DomainNameServers": "10.0.0.53"},
        "corp.example",
    ),
    ("associate-dhcp", lambda i: {"VpcId": i.vpc, "DhcpOptionsId": "default"}, "none (default)"),
    (
        "modify-vpc",
        lambda i: {"VpcId": i.vpc, "EnableDnsSupport": "on", "EnableDnsHostnames": "on"},
        "enabled / enabled",
    ),
    (
        "associate-vpc-cidr",
        lambda i: {"VpcId": i.vpc, "CidrBlock": "172.31.0.0/16"},
        "172.31.0.0/16",
    ),
    (
        "create-subnet",
        lambda i: {
            "VpcId": i.vpc,
            "Name": "extra",
            "CidrBlock": "172.30.9.0/24",
            "AvailabilityZone": "ap-northeast-1c",
        },
        "172.30.9.0/24",
    ),
    (
        "modify-subnet",
        lambda i: {"SubnetId": i.private, "MapPublicIpOnLaunch": "on"},
        "Auto-assign public IPv4",
    ),
    ("create-igw", lambda i: {"Name": "spare-igw"}, "detached"),
    ("detach-igw", lambda i: {"InternetGatewayId": i.igw}, "DependencyViolation"),  # in use
    (
        "create-nat",
        lambda i: {"SubnetId": i.public, "AllocationId": "new", "Name": "nat2"},
        "available",
    ),
    ("create-route-table", lambda i: {"VpcId": i.vpc, "Name": "extra-rt"}, "No subnet associated"),
    (
        "create-route",
        lambda i: {
            "RouteTableId": i.public_rt,
            "DestinationCidrBlock": "198.51.100.0/24",
            "Target": i.igw,
        },
        "198.51.100.0/24",
    ),
    (
        "delete-route",
        lambda i: {"RouteTableId": i.private_rt, "DestinationCidrBlock": "0.0.0.0/0"},
        "Add route",
    ),
    (
        "associate-route-table",
        lambda i: {"RouteTableId": i.public_rt, "SubnetId": i.private},
        "Subnet associations",
    ),
    ("set-main", lambda i: {"RouteTableId": i.public_rt}, "main"),
    (
        "create-sg",
        lambda i: {"GroupName": "db", "Description": "database", "VpcId": i.vpc},
        "No inbound rule",
    ),
    (
        "authorize-sg",
        lambda i: {"GroupId": i.web_sg, "Direction": "ingress", "Type": "https", "Peer": "my-ip"},
        "HTTPS TCP 443 203.0.113.5/32",
    ),
    (
        "authorize-sg",
        lambda i: {
            "GroupId": i.web_sg,
            "Direction": "ingress",
            "Type": "custom-tcp",
            "PortRange": "8000-8080",
            "Peer": i.default_sg,
        },
        "Custom TCP TCP 8000-8080",
    ),
    (
        "revoke-sg",
        lambda i: {"GroupId": i.web_sg, "Direction": "ingress", "Index": "0"},
        "HTTP TCP 80",
    ),
    ("create-nacl", lambda i: {"VpcId": i.vpc, "Name": "strict"}, "* ALL ALL 0.0.0.0/0 DENY"),
    (
        "create-nacl-entry",
        lambda i: {
            "NetworkAclId": i.acl,
            "RuleNumber": "90",
            "Direction": "egress",
            "Type": "ephemeral",
            "CidrBlock": "0.0.0.0/0",
            "RuleAction": "allow",
        },
        "90 TCP 1024-65535 0.0.0.0/0 ALLOW",
    ),
    (
        "delete-nacl-entry",
        lambda i: {"NetworkAclId": i.acl, "RuleNumber": "100", "Direction": "ingress"},
        "Inbound rules",
    ),
    ("associate-nacl", lambda i: {"NetworkAclId": i.acl, "SubnetId": i.public}, "public-subnet"),
    (
        "create-eni",
        lambda i: {"SubnetId": i.public, "PrivateIpAddress": "172.30.0.50", "Name": "fixed"},
        "172.30.0.50",
    ),
    (
        "assign-ip",
        lambda i: {"NetworkInterfaceId": i.web_eni, "PrivateIpAddress": "172.30.0.60"},
        "172.30.0.60",
    ),
    ("modify-eni", lambda i: {"NetworkInterfaceId": i.web_eni}, "Source/destination check"),
    ("allocate-eip", lambda i: {"Name": "spare"}, "nothing: traffic to it reaches nothing"),
    (
        "launch-instance",
        lambda i: {
            "Name": "new-box",
            "SubnetId": i.private,
            "ImageId": "ami-0abcdef1234567890",
            "InstanceType": "t3.small",
            "SecurityGroupIds": [i.default_sg],
            "AutoAssignPublicIp": "subnet",
        },
        "t3.small",
    ),
    ("stop-instance", lambda i: {"InstanceId": i.web}, "stopped"),
    ("terminate-instance", lambda i: {"InstanceId": i.db}, "terminated"),
    (
        "create-peering",
        lambda i: {"VpcId": i.vpc, "PeerVpcId": i.vpc},
        "InvalidParameterValue",
    ),  # a VPC cannot peer with itself
    (
        "rename",
        lambda i: {"Kind": "subnet", "ResourceId": i.private, "Name": "data-tier"},
        "data-tier",
    ),
    ("delete", lambda i: {"Kind": "nat-gateway", "ResourceId": i.nat}, "deleted"),
]

REFUSALS: list[tuple[str, Form, str, str]] = [
    (
        "create-vpc",
        lambda i: {"Name": "huge", "CidrBlock": "10.0.0.0/8"},
        "InvalidVpc.Range",
        "10.0.0.0/8",
    ),
    (
        "create-dhcp",
        lambda i: {"Name": "bad", "DomainNameServers": "dns.example"},
        "InvalidParameterValue",
        "dns.example",
    ),
    (
        "associate-dhcp",
        lambda i: {"VpcId": i.vpc, "DhcpOptionsId": "dopt-0123456789abcdef0"},
        "InvalidDhcpOptionID.NotFound",
        "",
    ),
    (
        "create-subnet",
        lambda i: {"VpcId": i.vpc, "Name": "clash", "CidrBlock": "172.30.1.128/25"},
        "InvalidSubnet.Conflict",
        "172.30.1.128/25",
    ),
    (
        "create-route",
        lambda i: {
            "RouteTableId": i.public_rt,
            "DestinationCidrBlock": "0.0.0.0/0",
            "Target": i.igw,
        },
        "RouteAlreadyExists",
        "0.0.0.0/0",
    ),
    (
        "create-sg",
        lambda i: {"GroupName": "web", "Description": "again", "VpcId": i.vpc},
        "InvalidGroup.Duplicate",
        "again",
    ),
    (
        "authorize-sg",
        lambda i: {
            "GroupId": i.web_sg,
            "Direction": "ingress",
            "Type": "custom-tcp",
            "PortRange": "eighty",
            "Peer": "0.0.0.0/0",
        },
        "InvalidParameterValue",
        "eighty",
    ),
    (
        "create-nacl-entry",
        lambda i: {
            "NetworkAclId": i.acl,
            "RuleNumber": "100",
            "Direction": "ingress",
            "Type": "all",
            "CidrBlock": "0.0.0.0/0",
        },
        "NetworkAclEntryAlreadyExists",
        "100",
    ),
    (
        "create-eni",
        lambda i: {"SubnetId": i.public, "PrivateIpAddress": "172.30.0.4"},
        "InvalidIPAddress.InUse",
        "172.30.0.4",
    ),
    (
        "launch-instance",
        lambda i: {"Name": "oops", "SubnetId": i.public, "PrivateIpAddress": "172.30.0.1"},
        "InvalidParameterValue",
        "172.30.0.1",
    ),
    ("delete", lambda i: {"Kind": "vpc", "ResourceId": i.vpc}, "DependencyViolation", ""),
    (
        "attach-igw",
        lambda i: {"InternetGatewayId": i.igw, "VpcId": i.vpc},
        "Resource.AlreadyAssociated",
        "",
    ),
    ("nonexistent-action", lambda i: {}, "InvalidAction", ""),
]


@pytest.fixture
def ids(client: TestClient) -> Ids:
    return seed_001(client)


@pytest.mark.parametrize(
    ("action", "form", "expected"), SUCCESS, ids=[f"{a}-{n}" for n, (a, _, _) in enumerate(SUCCESS)]
)
def test_an_action_as_htmx_answers_the_workspace_fragment(
    client: TestClient, ids: Ids, action: str, form: Form, expected: str
) -> None:
    response = client.post(f"/topologies/{ids.topology}/do/{action}", data=form(ids), headers=HX)
    assert response.status_code in (200, 400), response.text[:500]
    body = response.text
    assert "<html" not in body and 'id="workspace"' in body  # the block, not the page
    assert "HX-Request" in response.headers["Vary"]
    assert expected in body, body[body.find('id="editor"') :][:1500]
    if response.status_code == 200:
        assert "Done:" in body and response.headers["HX-Push-Url"].startswith("/topologies/")


@pytest.mark.parametrize(
    ("action", "form", "code", "typed"), REFUSALS, ids=[a for a, _, _, _ in REFUSALS]
)
def test_a_refusal_shows_the_aws_error_and_keeps_what_was_typed(
    client: TestClient, ids: Ids, action: str, form: Form, code: str, typed: str
) -> None:
    for headers in (HX, {}):
        response = client.post(
            f"/topologies/{ids.topology}/do/{action}", data=form(ids), headers=headers
        )
        assert response.status_code == 400
        assert f"<strong>{code}</strong>" in response.text
        assert 'role="alert"' in response.text
        if typed:
            assert f'value="{typed}"' in response.text
        assert ("<html" in response.text) == (not headers)


def test_without_javascript_a_form_posts_then_redirects_to_the_selection(
    client: TestClient, ids: Ids
) -> None:
    response = client.post(
        f"/topologies/{ids.topology}/do/create-igw", data={"Name": "plain"}, follow_redirects=False
    )
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith(f"/topologies/{ids.topology}?select=igw-")
    page = client.get(location)
    assert page.status_code == 200 and "plain" in page.text and "<html" in page.text


@pytest.mark.parametrize(
    "kind",
    [
        "vpc",
        "subnet",
        "internet-gateway",
        "route-table",
        "nat-gateway",
        "security-group",
        "network-acl",
        "network-interface",
        "instance",
        "address",
        "vpc-peering-connection",
        "dhcp-options",
    ],
)
def test_every_create_form_renders_with_labelled_fields(
    client: TestClient, ids: Ids, kind: str
) -> None:
    page = client.get(f"/topologies/{ids.topology}?create={kind}").text
    form = page[page.find('id="editor"') : page.find('class="tester"')]
    assert "<form" in form
    for field_id in __import__("re").findall(r'<(?:input|select) id="([^"]+)"', form):
        assert f'for="{field_id}"' in form, f"{field_id} has no label"


def test_every_resource_editor_renders(client: TestClient, ids: Ids) -> None:
    client.post(f"/api/v1/topologies/{ids.topology}/vpcs", json={"CidrBlock": "10.5.0.0/16"})
    export = client.get(f"/api/v1/topologies/{ids.topology}/export").json()
    resource_ids = every_resource_id(export)
    for rid in resource_ids:
        response = client.get(f"/topologies/{ids.topology}?select={rid}", headers=HX)
        assert response.status_code == 200
        assert f"<code>{rid}</code>" in response.text, rid


def test_a_required_field_with_help_keeps_both_attributes(client: TestClient, ids: Ids) -> None:
    page = client.get(f"/topologies/{ids.topology}?create=vpc").text
    field = __import__("re").search(r'<input id="create-vpc-CidrBlock"[^>]*>', page).group(0)
    assert " required " in field and ' aria-describedby="create-vpc-CidrBlock-help"' in field
