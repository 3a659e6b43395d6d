"""Analyses over HTTP: run and store, list, read, re-run after an edit."""

import schemathesis
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.db import tables

from .lab import Lab


def ssh_to(lab: Lab, private_ip: str = "192.168.1.4") -> dict:
    instance = next(i for i in lab.instances() if i["PrivateIpAddress"] == private_ip)
    return {
        "source": "203.0.113.5",
        "destination": instance["InstanceId"],
        "protocol": "tcp",
        "destination_port": 22,
    }


def test_run_store_list_and_read(client: TestClient) -> None:
    lab = Lab(client, "seed-002-ssh")
    result = lab.ok("POST", "analyses", ssh_to(lab), 201)
    assert result["reachable"] is True
    assert [h["component"]["type"] for h in result["forward_path"]] == [
        "internet-gateway",
        "network-acl",
        "security-group",
        "network-interface",
        "instance",
    ]
    assert result["return_path"][-1]["component"]["type"] == "internet"
    assert result["request"]["source_port"] == 49152
    listed = lab.ok("GET", "analyses")["analyses"]
    assert [(a["id"], a["reachable"]) for a in listed] == [(result["id"], True)]
    assert listed[0]["request"]["destination_port"] == 22
    again = lab.ok("GET", f"analyses/{result['id']}")
    assert again["forward_path"] == result["forward_path"]


def test_unstored_analysis_answers_200(client: TestClient) -> None:
    lab = Lab(client, "seed-002-ssh")
    result = lab.ok("POST", "analyses?store=false", ssh_to(lab), 200)
    assert "id" not in result and result["reachable"] is True
    assert lab.ok("GET", "analyses")["analyses"] == []


def test_a_stored_analysis_rerun_after_an_edit_shows_the_new_block(client: TestClient) -> None:
    lab = Lab(client, "seed-002-ssh")
    stored = lab.ok("POST", "analyses", ssh_to(lab), 201)
    main = next(
        t
        for t in lab.items("route-tables", "RouteTables")
        if any(a["Main"] for a in t["Associations"])
    )
    lab.ok(
        "DELETE",
        f"route-tables/{main['RouteTableId']}/routes",
        params={"DestinationCidrBlock": "0.0.0.0/0"},
    )
    rerun = lab.ok("POST", f"analyses/{stored['id']}/rerun")
    assert rerun["reachable"] is False
    assert rerun["revision"] > stored["revision"]
    [explanation] = rerun["explanations"]
    assert explanation["code"] == "NO_ROUTE_TO_DESTINATION"
    assert explanation["route_table"] == {"id": main["RouteTableId"]}
    assert lab.ok("GET", "analyses")["analyses"][0]["reachable"] is False


def test_blocked_paths_explain_with_codes_and_fixes(client: TestClient) -> None:
    lab = Lab(client, "seed-002-ssh")
    result = lab.ok("POST", "analyses", {**ssh_to(lab), "protocol": "icmp"}, 201)
    assert result["reachable"] is False
    [explanation] = result["explanations"]
    assert explanation["code"] == "ENI_SG_RULES_MISMATCH"
    assert explanation["path"] == "forward" and explanation["direction"] == "ingress"
    assert explanation["suggested_fix"].startswith("Add an inbound rule to sg-")
    blocked = [h for h in result["forward_path"] if h["action"] == "blocked"]
    assert blocked[0]["component"]["id"] == explanation["component"]["id"]


def test_every_hop_says_whether_it_comes_after_a_block(client: TestClient) -> None:
    lab = Lab(client, "seed-002-ssh")
    result = lab.ok("POST", "analyses", {**ssh_to(lab), "protocol": "icmp"}, 201)
    forward = [(h["component"]["type"], h["after_block"]) for h in result["forward_path"]]
    assert forward == [
        ("internet-gateway", False),
        ("network-acl", False),
        ("security-group", False),
        ("network-interface", True),
        ("instance", True),
    ]
    assert {h["after_block"] for h in result["return_path"]} == {True}
    assert result["forward_path"][-1]["message"].endswith(
        "would receive the packet if the earlier block were fixed."
    )
    passing = lab.ok("POST", "analyses", ssh_to(lab), 201)
    hops = passing["forward_path"] + passing["return_path"]
    assert {h["after_block"] for h in hops} == {False}


def test_analysis_answers_match_the_openapi_document(client: TestClient) -> None:
    lab = Lab(client, "seed-002-ssh")
    spec = client.get("/openapi.json").json()
    assert "after_block" in spec["components"]["schemas"]["HopResult"]["required"]
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    base = "/api/v1/topologies/{topology_id}/analyses"
    ping = {**ssh_to(lab), "protocol": "icmp"}
    unstored = client.post(lab.url("analyses?store=false"), json=ping)
    schema[base]["POST"].validate_response(unstored)
    stored = client.post(lab.url("analyses"), json=ping)
    schema[base]["POST"].validate_response(stored)
    one = client.get(lab.url(f"analyses/{stored.json()['id']}"))
    schema[base + "/{analysis_id}"]["GET"].validate_response(one)
    again = client.post(lab.url(f"analyses/{stored.json()['id']}/rerun"))
    schema[base + "/{analysis_id}/rerun"]["POST"].validate_response(again)


def test_a_result_stored_before_after_block_existed_reads_with_it(
    client: TestClient, engine: Engine
) -> None:
    lab = Lab(client, "seed-002-ssh")
    stored = lab.ok("POST", "analyses", {**ssh_to(lab), "protocol": "icmp"}, 201)
    with Session(engine) as session:  # as an older version of the lab stored it
        row = session.exec(select(tables.Analysis)).one()
        old = dict(row.result)
        for path in ("forward_path", "return_path"):
            old[path] = [{k: v for k, v in h.items() if k != "after_block"} for h in old[path]]
        row.result = old
        session.add(row)
        session.commit()

    again = lab.ok("GET", f"analyses/{stored['id']}")

    assert again["forward_path"] == stored["forward_path"]
    assert again["return_path"] == stored["return_path"]


def test_analysis_refusals(client: TestClient) -> None:
    lab = Lab(client, "seed-002-ssh")
    lab.fails(
        "POST",
        "analyses",
        {"source": "internet", "destination": "8.8.8.8", "destination_port": 80},
        400,
        "InvalidParameterValue",
    )
    lab.fails(
        "POST",
        "analyses",
        {"source": "internet", "destination": "i-nope", "destination_port": 80},
        404,
        "InvalidInstanceID.NotFound",
    )
    lab.fails(
        "POST",
        "analyses",
        {"source": "internet", "destination": "internet", "protocol": "gre"},
        422,
        "InvalidParameterValue",
    )
    lab.fails(
        "POST",
        "analyses",
        {"source": "203.0.113.5", "destination": "192.168.1.4"},
        400,
        "MissingParameter",
    )
    lab.fails("POST", "analyses", {"destination": "192.168.1.4"}, 422, "MissingParameter")
    lab.fails("GET", "analyses/999", None, 404, "InvalidAnalysisID.NotFound")
    lab.fails("POST", "analyses/999/rerun", None, 404, "InvalidAnalysisID.NotFound")
    lab.fails("GET", "analyses/0", None, 422, "InvalidParameterValue")
    missing = client.post("/api/v1/topologies/nope/analyses", json=ssh_to(lab))
    assert missing.status_code == 404
