"""Guided labs over the API: the labs, starting one, its step's checks evaluated on the network
as it is, "next" refused (nothing written) until they pass, going back, and who may move it."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.accounts.helpers import Classroom
from tests.guided import use_test_labs

from .lab import API, expect_error

SSH = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}


@pytest.fixture(autouse=True)
def test_labs(monkeypatch: pytest.MonkeyPatch) -> None:
    use_test_labs(monkeypatch)


def start(client: TestClient, lab: str = "test-build", **body: Any) -> dict[str, Any]:
    response = client.post(f"{API}/labs/{lab}/start", json=body or None)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def lab_of(client: TestClient, topology: str, **headers: str) -> dict[str, Any]:
    response = client.get(f"{API}/topologies/{topology}/lab", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_the_labs_are_listed_in_both_languages_and_an_unknown_one_is_a_404(
    client: TestClient,
) -> None:
    listed = client.get(f"{API}/labs").json()["labs"]

    assert [lab["id"] for lab in listed] == ["test-build", "test-ssh"]
    assert listed[0]["title"] == {"en": "Build a VPC", "ja": "VPC を作る"}
    assert listed[0]["goal"]["ja"] == "インターネットゲートウェイのある VPC"
    assert listed[0]["step_count"] == 2
    lab = client.get(f"{API}/labs/test-build").json()
    assert [s["id"] for s in lab["steps"]] == ["vpc", "igw"]
    assert lab["steps"][0]["checks"] == [
        {"id": "own-vpc", "says": {"en": "A VPC of your own exists", "ja": "自分の VPC がある"}}
    ]
    expect_error(client.get(f"{API}/labs/nope"), 404, "InvalidLabID.NotFound")
    expect_error(client.post(f"{API}/labs/nope/start", json={}), 404, "InvalidLabID.NotFound")
    assert client.get(f"{API}/topologies").json()["topologies"] == []


def test_a_started_lab_evaluates_its_step_and_refuses_next_until_the_checks_pass(
    client: TestClient,
) -> None:
    topology = start(client, name="my build")
    assert topology["name"] == "my build"
    assert (topology["lab"], topology["lab_step"], topology["template"]) == (
        "test-build",
        0,
        "blank",
    )

    shown = lab_of(client, topology["id"])
    assert (shown["step"], shown["progress"], shown["can_advance"]) == (0, 0, False)
    assert shown["current"]["id"] == "vpc"
    [check] = shown["checks"]
    assert (check["id"], check["passed"], check["code"]) == ("own-vpc", False, "missing")
    assert check["params"]["found"] == 0

    refused = client.post(f"{API}/topologies/{topology['id']}/lab/next")
    error = expect_error(refused, 409, "IncorrectState")
    assert "Step 1 is not done yet" in error["message"]
    said = client.post(
        f"{API}/topologies/{topology['id']}/lab/next", headers={"Accept-Language": "ja"}
    )
    assert (
        "ステップ 1 はまだ終わっていません" in expect_error(said, 409, "IncorrectState")["message"]
    )
    assert client.get(f"{API}/topologies/{topology['id']}").json()["lab_step"] == 0

    made = client.post(f"{API}/topologies/{topology['id']}/vpcs", json={"CidrBlock": "10.0.0.0/16"})
    assert made.status_code == 201, made.text
    passed = lab_of(client, topology["id"])
    assert passed["checks"][0]["passed"] and passed["can_advance"]

    moved = client.post(f"{API}/topologies/{topology['id']}/lab/next")
    assert moved.status_code == 200, moved.text
    assert (moved.json()["step"], moved.json()["progress"]) == (1, 50)
    assert moved.json()["checks"][0]["id"] == "igw-attached"
    assert not moved.json()["can_advance"]


def test_back_to_an_earlier_step_and_forward_only_over_steps_that_pass(
    client: TestClient,
) -> None:
    topology = start(client)["id"]
    vpc = client.post(f"{API}/topologies/{topology}/vpcs", json={"CidrBlock": "10.0.0.0/16"})
    client.post(f"{API}/topologies/{topology}/lab/next")

    back = client.post(f"{API}/topologies/{topology}/lab/step", json={"step": 0})
    assert back.status_code == 200 and back.json()["step"] == 0
    forward = client.post(f"{API}/topologies/{topology}/lab/step", json={"step": 1})
    assert forward.status_code == 200 and forward.json()["step"] == 1
    error = expect_error(
        client.post(f"{API}/topologies/{topology}/lab/step", json={"step": 2}),
        409,
        "IncorrectState",
    )
    assert "Step 2 is not done yet" in error["message"]
    expect_error(
        client.post(f"{API}/topologies/{topology}/lab/step", json={"step": 3}),
        400,
        "InvalidParameterValue",
    )

    igw = client.post(f"{API}/topologies/{topology}/internet-gateways", json={}).json()
    attached = client.post(
        f"{API}/topologies/{topology}/internet-gateways/{igw['InternetGatewayId']}/attach",
        json={"VpcId": vpc.json()["VpcId"]},
    )
    assert attached.status_code == 200, attached.text
    done = client.post(f"{API}/topologies/{topology}/lab/next").json()
    assert (done["step"], done["complete"], done["progress"], done["current"]) == (
        2,
        True,
        100,
        None,
    )
    assert done["checks"] == [] and not done["can_advance"]
    expect_error(client.post(f"{API}/topologies/{topology}/lab/next"), 409, "IncorrectState")
    # Back from the end, then forward to the end in one go: every step passes.
    client.post(f"{API}/topologies/{topology}/lab/step", json={"step": 0})
    again = client.post(f"{API}/topologies/{topology}/lab/step", json={"step": 2})
    assert again.status_code == 200 and again.json()["complete"]


def test_a_failed_flow_check_names_the_block_and_its_fix_in_the_readers_language(
    client: TestClient,
) -> None:
    topology = start(client, "test-ssh")["id"]
    [check] = lab_of(client, topology)["checks"]
    assert check["passed"] and check["code"] == "ok" and "explanation" not in check

    groups = client.get(f"{API}/topologies/{topology}/security-groups").json()["SecurityGroups"]
    ssh = next(g for g in groups if any(p.get("FromPort") == 22 for p in g["IpPermissions"]))
    revoked = client.post(
        f"{API}/topologies/{topology}/security-groups/{ssh['GroupId']}/revoke-ingress",
        json={"IpPermissions": [SSH]},
    )
    assert revoked.status_code == 200, revoked.text

    [check] = lab_of(client, topology)["checks"]
    assert (check["passed"], check["code"]) == (False, "blocked")
    explanation = check["explanation"]
    assert explanation["component"]["id"] == ssh["GroupId"]
    assert explanation["code"] == "SG_HAS_NO_RULES"
    assert "Add an inbound rule to" in explanation["suggested_fix"] and explanation["message"]
    [said] = lab_of(client, topology, **{"Accept-Language": "ja"})["checks"]
    assert "インバウンドルール" in said["explanation"]["suggested_fix"]
    expect_error(client.post(f"{API}/topologies/{topology}/lab/next"), 409, "IncorrectState")


def test_duplicate_keeps_the_lab_and_its_step_and_reset_starts_it_again(
    client: TestClient,
) -> None:
    topology = start(client)["id"]
    client.post(f"{API}/topologies/{topology}/vpcs", json={"CidrBlock": "10.0.0.0/16"})
    client.post(f"{API}/topologies/{topology}/lab/next")

    copy = client.post(f"{API}/topologies/{topology}/duplicate").json()
    reset = client.post(f"{API}/topologies/{topology}/reset").json()

    assert (copy["lab"], copy["lab_step"]) == ("test-build", 1)
    assert (reset["lab"], reset["lab_step"]) == ("test-build", 0)
    assert lab_of(client, topology)["checks"][0]["passed"] is False


def test_a_topology_without_a_lab_answers_404(client: TestClient) -> None:
    plain = client.post(f"{API}/topologies", json={"name": "plain"}).json()
    assert plain["lab"] is None
    expect_error(client.get(f"{API}/topologies/{plain['id']}/lab"), 404, "InvalidLabID.NotFound")
    expect_error(
        client.post(f"{API}/topologies/{plain['id']}/lab/next"), 404, "InvalidLabID.NotFound"
    )


def test_only_the_owner_moves_a_labs_step_an_instructor_reads_it(classroom: Classroom) -> None:
    teacher = classroom.add_user("teacher", role="instructor")
    course = classroom.add_class(teacher)
    classroom.add_user("alice", classroom_id=course)
    classroom.add_user("bob", classroom_id=course)
    alice, bob = classroom.signed_in("alice"), classroom.signed_in("bob")
    instructor = classroom.signed_in("teacher")
    topology = start(alice)["id"]
    alice.post(f"{API}/topologies/{topology}/vpcs", json={"CidrBlock": "10.0.0.0/16"})

    seen = lab_of(instructor, topology)
    assert seen["checks"][0]["passed"] and seen["step"] == 0
    expect_error(
        instructor.post(f"{API}/topologies/{topology}/lab/next"), 403, "UnauthorizedOperation"
    )
    expect_error(
        instructor.post(f"{API}/topologies/{topology}/lab/step", json={"step": 0}),
        403,
        "UnauthorizedOperation",
    )
    expect_error(bob.get(f"{API}/topologies/{topology}/lab"), 404, "InvalidTopologyID.NotFound")
    expect_error(
        bob.post(f"{API}/topologies/{topology}/lab/next"), 404, "InvalidTopologyID.NotFound"
    )
    assert lab_of(alice, topology)["step"] == 0
    assert start(instructor)["lab"] == "test-build"  # their own lab is theirs to move
