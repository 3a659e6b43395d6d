"""The JSON API refuses changes a page of another site asks a browser to make; scripts, which
send no ``Origin``, and the lab's own pages keep working."""

from __future__ import annotations

from fastapi.testclient import TestClient


def names(client: TestClient) -> list[str]:
    return [t["name"] for t in client.get("/api/v1/topologies").json()["topologies"]]


def test_a_change_from_another_sites_page_is_refused_and_writes_nothing(
    client: TestClient,
) -> None:
    response = client.post(
        "/api/v1/topologies", json={"name": "Forged"}, headers={"Origin": "http://evil.example"}
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "UnauthorizedOperation"
    assert "evil.example" in response.json()["error"]["message"]
    assert "Forged" not in names(client)


def test_a_browser_saying_cross_site_is_refused_even_without_origin(client: TestClient) -> None:
    topology = client.post("/api/v1/topologies", json={"name": "Mine"}).json()["id"]
    response = client.delete(
        f"/api/v1/topologies/{topology}", headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "UnauthorizedOperation"
    assert "Mine" in names(client)


def test_an_origin_on_another_port_or_null_is_another_site(client: TestClient) -> None:
    for origin in ("http://testserver:8001", "null", "http://testserver.evil.example"):
        response = client.post("/api/v1/topologies", json={"name": "x"}, headers={"Origin": origin})
        assert response.status_code == 403, origin
    assert names(client) == []


def test_scripts_and_the_labs_own_pages_keep_working(client: TestClient) -> None:
    script = client.post("/api/v1/topologies", json={"name": "From curl"})
    assert script.status_code == 201
    same = client.post(
        "/api/v1/topologies",
        json={"name": "From the lab"},
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    )
    assert same.status_code == 201
    assert sorted(names(client)) == ["From curl", "From the lab"]


def test_reading_is_not_a_change(client: TestClient) -> None:
    response = client.get("/api/v1/topologies", headers={"Origin": "http://evil.example"})
    assert response.status_code == 200
