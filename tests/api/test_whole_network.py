"""Whole-network analyses over HTTP: the exposure report and the reachability matrix."""

import pytest
from fastapi.testclient import TestClient

from app import whole_network

from .lab import Lab, expect_error


def test_exposure_report_names_what_the_internet_reaches(client: TestClient) -> None:
    lab = Lab(client, "seed-001-nat")
    report = lab.ok("GET", "exposure")
    assert report["revision"] == lab.revision()
    [web] = report["interfaces"]
    assert {(e["protocol"], tuple(e["port_range"])) for e in web["exposures"]} == {
        ("tcp", (22, 22)),
        ("tcp", (80, 80)),
    }
    chain = web["exposures"][0]["chain"]
    assert chain["public_ip"] == web["public_ip"] and chain["route"]["target"].startswith("igw-")
    expect_error(client.get("/api/v1/topologies/nope/exposure"), 404, "InvalidTopologyID.NotFound")


def test_the_matrix_answers_every_pair_and_follows_edits(client: TestClient) -> None:
    lab = Lab(client, "seed-001-nat")
    matrix = lab.ok("GET", "reachability-matrix", params={"protocol": "tcp", "port": 22})
    assert matrix["reachable"] == [[None, True], [True, None]]
    assert matrix["port"] == 22 and len(matrix["instances"]) == 2
    mysql = lab.ok("GET", "reachability-matrix", params={"protocol": "tcp", "port": 3306})
    assert mysql["reachable"] == [[None, True], [True, None]]  # the default group admits all
    for instance in matrix["instances"]:
        lab.ok("POST", f"instances/{instance}/stop")
    stopped = lab.ok("GET", "reachability-matrix", params={"protocol": "icmp"})
    assert stopped["reachable"] == [[None, False], [False, None]]
    assert stopped["revision"] > matrix["revision"]
    lab.fails("GET", "reachability-matrix?protocol=gre", None, 422, "InvalidParameterValue")


def test_the_matrix_takes_a_set_of_ports(client: TestClient) -> None:
    lab = Lab(client, "seed-001-nat")
    by_name = {t["Value"]: i for i in lab.instances() for t in i["Tags"] if t["Key"] == "Name"}
    web, db = by_name["web-server"], by_name["db-server"]
    groups = lab.items("security-groups", "SecurityGroups")
    web_sg = next(g["GroupId"] for g in groups if g["GroupName"] == "web")
    # The web server keeps only its "web" group: SSH and HTTP from anywhere, nothing else.
    web_eni = web["NetworkInterfaces"][0]["NetworkInterfaceId"]
    lab.ok("POST", f"network-interfaces/{web_eni}/modify-attribute", {"Groups": [web_sg]})
    ports = [22, 80, 8080]
    matrix = lab.ok(
        "GET", "reachability-matrix", params=[("protocol", "tcp"), *(("port", p) for p in ports)]
    )
    assert matrix["ports"] == ports and matrix["port"] == 22
    w, d = matrix["instances"].index(web["InstanceId"]), matrix["instances"].index(db["InstanceId"])
    assert [matrix["by_port"][str(p)][d][w] for p in ports] == [True, True, False]
    assert matrix["reachable"][d][w] is False  # not on every port
    for port in ports:  # each grid is the one-port matrix
        single = lab.ok("GET", "reachability-matrix", params={"protocol": "tcp", "port": port})
        assert single["reachable"] == matrix["by_port"][str(port)]
    too_many = [("port", p) for p in range(17)]
    expect_error(
        client.get(lab.url("reachability-matrix"), params=too_many), 422, "InvalidParameterValue"
    )
    expect_error(
        client.get(lab.url("reachability-matrix"), params={"port": 70000}),
        422,
        "InvalidParameterValue",
    )


def test_the_matrix_computes_only_the_rows_asked_for(client: TestClient) -> None:
    lab = Lab(client, "seed-001-nat")
    whole = lab.ok("GET", "reachability-matrix", params={"protocol": "tcp", "port": 22})
    source = whole["instances"][1]
    row = lab.ok("GET", "reachability-matrix", params={"port": 22, "source": source})
    assert row["sources"] == [source] and row["instances"] == whole["instances"]
    assert row["reachable"] == [whole["reachable"][1]]
    assert whole["sources"] == whole["instances"]
    expect_error(
        client.get(lab.url("reachability-matrix"), params={"source": "i-0123456789abcdef0"}),
        404,
        "InvalidInstanceID.NotFound",
    )


def test_a_matrix_too_large_for_one_request_is_refused_with_the_way_to_ask(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(whole_network, "MAX_MATRIX_PAIRS", 3)  # seed 001: 2 pairs a port
    lab = Lab(client, "seed-001-nat")
    lab.ok("GET", "reachability-matrix", params={"port": 22})
    refused = expect_error(
        client.get(lab.url("reachability-matrix"), params=[("port", 22), ("port", 80)]),
        400,
        "InvalidParameterCombination",
    )
    assert "4 pairs" in refused["message"] and "source=" in refused["message"]
    source = lab.instances()[0]["InstanceId"]
    row = lab.ok(
        "GET", "reachability-matrix", params=[("port", 22), ("port", 80), ("source", source)]
    )
    assert row["sources"] == [source] and len(row["by_port"]) == 2


def test_the_exposure_report_can_be_read_a_part_at_a_time(client: TestClient) -> None:
    lab = Lab(client, "seed-002-ssh")  # two instances with Elastic IPs, SSH from anywhere
    whole = lab.ok("GET", "exposure")
    assert whole["total"] == 2 and len(whole["interfaces"]) == 2
    assert all(e["from_anywhere"] for i in whole["interfaces"] for e in i["exposures"])
    first = lab.ok("GET", "exposure", params={"limit": 1})
    second = lab.ok("GET", "exposure", params={"offset": 1, "limit": 1})
    assert first["total"] == second["total"] == 2
    assert first["interfaces"] + second["interfaces"] == whole["interfaces"]
    expect_error(client.get(lab.url("exposure"), params={"limit": 0}), 422, "InvalidParameterValue")
