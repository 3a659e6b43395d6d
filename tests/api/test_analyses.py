"""Analyses over HTTP: run and store, list, read, re-run after an edit."""

from fastapi.testclient import TestClient

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
