"""A lab's life over the API: duplicate, reset, revisions and restore, saved tests in bundles."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.db import history

from .lab import API, Lab, expect_error


def ssh_test(lab: Lab) -> dict:
    instance = lab.instances()[0]["InstanceId"]
    return {
        "source": "internet",
        "destination": instance,
        "protocol": "tcp",
        "destination_port": 22,
    }


def test_duplicate_answers_a_new_topology_with_the_resources_and_saved_tests(
    client: TestClient,
) -> None:
    lab = Lab(client, "seed-002-ssh", name="SSH lab")
    lab.ok("POST", "analyses", ssh_test(lab), 201)

    copy = lab.ok("POST", "duplicate", status=201)
    named = lab.ok("POST", "duplicate", {"name": "week 2"}, 201)

    assert copy["name"] == "SSH lab (copy)" and named["name"] == "week 2"
    assert copy["id"] != lab.id and copy["template"] == "seed-002-ssh"
    exported = lab.ok("GET", "export")
    assert client.get(f"{API}/topologies/{copy['id']}/export").json() == exported
    tests = client.get(f"{API}/topologies/{copy['id']}/analyses").json()["analyses"]
    assert [t["request"] for t in tests] == [ssh_test(lab)]
    expect_error(lab.call("POST", "duplicate", {"name": ""}), 422, "InvalidParameterValue")
    expect_error(client.post(f"{API}/topologies/nope/duplicate"), 404, "InvalidTopologyID.NotFound")


def test_reset_goes_back_to_the_template_and_is_refused_for_an_imported_topology(
    client: TestClient,
) -> None:
    lab = Lab(client, "seed-002-ssh")
    vpc = lab.items("vpcs", "Vpcs")[0]["VpcId"]
    lab.ok("POST", "subnets", {"VpcId": vpc, "CidrBlock": "192.168.77.0/24"}, 201)
    assert len(lab.items("subnets", "Subnets")) == 3

    reset = lab.ok("POST", "reset")

    assert reset["revision"] == 3 and len(lab.items("subnets", "Subnets")) == 2
    imported = Lab(client, name="imported")
    imported.ok("POST", "import", lab.ok("GET", "export"))
    error = expect_error(imported.call("POST", "reset"), 409, "OperationNotPermitted")
    assert "not created from a template" in error["message"]
    assert imported.ok("GET", "")["revision"] == 2


def test_revisions_name_the_api_route_and_restore_makes_a_new_revision(
    client: TestClient,
) -> None:
    lab = Lab(client, "seed-002-ssh")
    before = lab.ok("GET", "export")
    vpc = lab.items("vpcs", "Vpcs")[0]["VpcId"]
    subnet = lab.ok("POST", "subnets", {"VpcId": vpc, "CidrBlock": "192.168.77.0/24"}, 201)

    listed = lab.ok("GET", "revisions")

    newest = listed["revisions"][0]
    assert newest["revision"] == 2 and newest["action"] == "api:create_subnet"
    assert newest["changes"]["added"] == {"subnet": [subnet["SubnetId"]]}
    assert listed["kept"] == history.REVISIONS_KEPT
    restored = lab.ok("POST", "revisions/1/restore")
    assert restored["revision"] == 3 and lab.ok("GET", "export") == before
    assert lab.ok("GET", "revisions")["revisions"][0]["action"] == "restore"


def test_restoring_a_revision_no_longer_kept_is_a_clear_400(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history, "REVISIONS_KEPT", 2)
    lab = Lab(client)
    for _ in range(3):
        lab.ok("POST", "internet-gateways", {}, 201)
    error = expect_error(lab.call("POST", "revisions/1/restore"), 400, "InvalidRevision.Expired")
    assert "keeps the last 2 revisions" in error["message"]
    expect_error(lab.call("POST", "revisions/9/restore"), 404, "InvalidRevision.NotFound")
    expect_error(lab.call("POST", "revisions/4/restore"), 400, "InvalidParameterValue")
    assert lab.ok("GET", "")["revision"] == 4


def test_export_import_round_trip_carries_the_saved_tests(client: TestClient) -> None:
    lab = Lab(client, "seed-002-ssh")
    lab.ok("POST", "analyses", ssh_test(lab), 201)
    bundle = lab.ok("GET", "export")
    assert bundle["VpcLabSavedTests"] == [ssh_test(lab)]

    copy = Lab(client, name="copy")
    counts = copy.ok("POST", "import", bundle)["imported"]

    assert counts["VpcLabSavedTests"] == 1
    assert copy.ok("GET", "export") == bundle
    tests = copy.ok("GET", "analyses")["analyses"]
    assert [t["request"] for t in tests] == [ssh_test(lab)] and tests[0]["reachable"] is True


def test_an_import_with_a_bad_saved_test_is_a_400_naming_it_and_writes_nothing(
    client: TestClient,
) -> None:
    lab = Lab(client, "seed-002-ssh")
    bundle = {
        **lab.ok("GET", "export"),
        "VpcLabSavedTests": [
            ssh_test(lab),
            {"source": "internet", "destination": "i-0000000000000dead"},
        ],
    }
    target = Lab(client, name="target")

    error = expect_error(target.call("POST", "import", bundle), 400, "InvalidParameterValue")

    assert error["message"].startswith("VpcLabSavedTests[1]: ")
    assert target.ok("GET", "")["revision"] == 1
    assert target.items("vpcs", "Vpcs") == [] and target.ok("GET", "analyses")["analyses"] == []
