"""Topologies: health, create from templates, list, rename, delete."""

from fastapi.testclient import TestClient

from .lab import API, Lab, expect_error


def test_health_answers_ok(client: TestClient) -> None:
    response = client.get(f"{API}/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_create_list_get_rename_delete(client: TestClient) -> None:
    lab = Lab(client, name="Week 1")
    assert lab.topology["region"] == "ap-northeast-1" and lab.topology["revision"] == 1
    listed = client.get(f"{API}/topologies").json()["topologies"]
    assert [t["id"] for t in listed] == [lab.id]
    renamed = client.patch(lab.url(), json={"name": "Week 2"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Week 2"
    assert client.get(lab.url()).json()["name"] == "Week 2"
    assert client.delete(lab.url()).status_code == 204
    expect_error(client.get(lab.url()), 404, "InvalidTopologyID.NotFound")
    expect_error(client.delete(lab.url()), 404, "InvalidTopologyID.NotFound")
    expect_error(client.patch(lab.url(), json={"name": "x"}), 404, "InvalidTopologyID.NotFound")


def test_templates_are_listed_and_build_their_labs(client: TestClient) -> None:
    names = [t["name"] for t in client.get(f"{API}/templates").json()["templates"]]
    assert names == ["blank", "default-vpc", "seed-002-ssh", "seed-001-nat"]
    default = Lab(client, "default-vpc")
    vpcs = default.items("vpcs", "Vpcs")
    assert vpcs[0]["IsDefault"] is True and vpcs[0]["CidrBlock"] == "172.31.0.0/16"
    subnets = default.items("subnets", "Subnets")
    assert len(subnets) == 4 and all(s["MapPublicIpOnLaunch"] for s in subnets)
    seed = Lab(client, "seed-001-nat")
    assert seed.items("nat-gateways", "NatGateways")[0]["State"] == "available"


def test_bad_topology_requests_are_refused(client: TestClient) -> None:
    expect_error(
        client.post(f"{API}/topologies", json={"name": "x", "region": "mars-1"}),
        400,
        "InvalidParameterValue",
    )
    expect_error(
        client.post(f"{API}/topologies", json={"name": "x", "template": "nope"}),
        400,
        "InvalidParameterValue",
    )
    expect_error(client.post(f"{API}/topologies", json={"name": ""}), 422, "InvalidParameterValue")
    expect_error(client.post(f"{API}/topologies", json={}), 422, "MissingParameter")
    expect_error(
        client.post(
            f"{API}/topologies", content=b"{nope", headers={"content-type": "application/json"}
        ),
        400,
        "MalformedQueryString",
    )
    expect_error(
        client.post(f"{API}/topologies", json={"name": "   "}), 400, "InvalidParameterValue"
    )


def test_unknown_paths_and_methods_get_the_error_body(client: TestClient) -> None:
    expect_error(client.get(f"{API}/nothing-here"), 404, "NotFound")
    expect_error(client.put(f"{API}/health"), 405, "MethodNotAllowed")


def test_openapi_document_and_docs_are_served(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/v1/topologies/{topology_id}/analyses" in spec["paths"]
    assert client.get("/docs").status_code == 200
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            assert operation.get("summary"), (method, path)
