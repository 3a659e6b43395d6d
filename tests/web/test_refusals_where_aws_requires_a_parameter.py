"""On the pages: AWS's refusal is shown next to the field it is about, what was typed stays,
and nothing is created."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from .lab import HX, Ids, seed_001


@pytest.fixture
def ids(client: TestClient) -> Ids:
    return seed_001(client)


def field_error(page: str, action: str, field: str) -> str:
    """The error shown next to one field of one form ("" when there is none)."""
    found = re.search(rf'<p class="field-error" id="{action}-{field}-error">(.*?)</p>', page, re.S)
    return found.group(1) if found else ""


def export(client: TestClient, ids: Ids) -> dict[str, Any]:
    return client.get(f"/api/v1/topologies/{ids.topology}/export").json()  # type: ignore[no-any-return]


def refused(client: TestClient, ids: Ids, action: str, form: dict[str, Any]) -> list[str]:
    """Post the form as htmx and as a plain page; both are 400 and change nothing."""
    before = export(client, ids)
    pages = []
    for headers in (HX, {}):
        response = client.post(
            f"/topologies/{ids.topology}/do/{action}", data=form, headers=headers
        )
        assert response.status_code == 400, response.text[:300]
        pages.append(response.text)
    assert export(client, ids) == before
    return pages


def test_creating_a_security_group_without_a_description_says_it_is_required(
    client: TestClient, ids: Ids
) -> None:
    form = {"GroupName": "db-typed", "Description": "", "VpcId": ids.vpc}
    for page in refused(client, ids, "create-sg", form):
        assert "<strong>MissingParameter</strong>" in field_error(page, "create-sg", "Description")
        assert 'value="db-typed"' in page
    editor = client.get(f"/topologies/{ids.topology}?create=security-group").text
    assert re.search(r'<input id="create-sg-Description"[^>]*\brequired\b', editor)


def test_adding_a_network_acl_rule_without_a_cidr_says_it_is_required(
    client: TestClient, ids: Ids
) -> None:
    form = {
        "NetworkAclId": ids.acl,
        "RuleNumber": "110",
        "Direction": "ingress",
        "Type": "ssh",
        "CidrBlock": "",
        "RuleAction": "allow",
    }
    for page in refused(client, ids, "create-nacl-entry", form):
        error = field_error(page, "create-nacl-entry", "CidrBlock")
        assert "<strong>MissingParameter</strong>" in error
        assert 'value="110"' in page
    # The form no longer fills in 0.0.0.0/0 for a learner who did not choose it.
    editor = client.get(f"/topologies/{ids.topology}?select={ids.acl}").text
    cidr_input = re.search(r'<input id="create-nacl-entry-CidrBlock"[^>]*>', editor)
    assert cidr_input is not None
    assert 'value=""' in cidr_input.group(0) and "required" in cidr_input.group(0)


def test_launching_with_an_existing_interface_and_security_groups_is_refused(
    client: TestClient, ids: Ids
) -> None:
    eni = client.post(
        f"/api/v1/topologies/{ids.topology}/network-interfaces", json={"SubnetId": ids.public}
    ).json()["NetworkInterfaceId"]
    form = {
        "Name": "with-eni",
        "SubnetId": ids.public,
        "NetworkInterfaceId": eni,
        "SecurityGroupIds": [ids.web_sg],
        "AutoAssignPublicIp": "subnet",
    }
    for page in refused(client, ids, "launch-instance", form):
        error = field_error(page, "launch-instance", "SecurityGroupIds")
        assert "<strong>InvalidParameterCombination</strong>" in error and eni in error
        assert re.search(
            r'<select id="launch-instance-SecurityGroupIds"[^>]* aria-invalid="true"', page
        )
        assert re.search(rf'<option value="{ids.web_sg}"\s+selected', page)
        assert re.search(rf'<option value="{eni}"\s+selected', page)
        assert 'value="with-eni"' in page


def test_importing_a_file_with_none_of_the_bundle_keys_is_refused_and_leaves_no_topology(
    client: TestClient,
) -> None:
    for content in ({}, {"vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}):
        response = client.post(
            "/topologies/import",
            data={"name": "not a bundle"},
            files={"bundle": ("b.json", json.dumps(content), "application/json")},
        )
        assert response.status_code == 400
        assert "<strong>MissingParameter</strong>" in response.text
        assert "Vpcs" in response.text and "Reservations" in response.text
    assert client.get("/api/v1/topologies").json()["topologies"] == []
