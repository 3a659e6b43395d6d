"""Every answer carries the security headers, and a browser sees its errors as pages (the API
keeps JSON)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.db.store import Store

PAGE = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def assert_security_headers(response_headers: object, where: str) -> None:
    headers = response_headers  # httpx.Headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"], where  # type: ignore[index]
    assert headers["x-content-type-options"] == "nosniff", where  # type: ignore[index]
    assert headers["referrer-policy"] == "same-origin", where  # type: ignore[index]


def test_every_answer_carries_the_security_headers(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = {
        "page": client.get("/"),
        "api": client.get("/api/v1/topologies"),
        "static": client.get("/static/css/lab.css"),
        "docs": client.get("/docs"),
        "page 404": client.get("/topologies/nope", headers=PAGE),
        "api 404": client.get("/api/v1/topologies/nope"),
        "csrf 403": client.post("/topologies", headers={"X-CSRF-Token": "forged"}),
        "cross-site 403": client.post(
            "/api/v1/topologies", json={"name": "x"}, headers={"Origin": "http://evil.example"}
        ),
        "host 400": client.get("/", headers={"Host": "evil.example"}),
    }
    monkeypatch.setattr(Store, "list_topologies", lambda *_, **__: 1 / 0)
    answers["page 500"] = client.get("/", headers=PAGE)
    answers["api 500"] = client.get("/api/v1/topologies")
    for where, response in answers.items():
        assert_security_headers(response.headers, where)
    assert answers["page 500"].status_code == answers["api 500"].status_code == 500


def test_a_browser_asking_for_an_unknown_topology_gets_a_page(client: TestClient) -> None:
    response = client.get("/topologies/top-nope", headers=PAGE)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert '<a class="brand" href="/">' in response.text  # the site's layout
    assert "Nothing here" in response.text and "top-nope" in response.text
    assert 'href="/">Back to your topologies' in response.text
    unknown = client.get("/nowhere", headers=PAGE)
    assert unknown.status_code == 404 and "There is no page at /nowhere" in unknown.text


def test_the_api_and_scripts_keep_json_errors(client: TestClient) -> None:
    api = client.get("/api/v1/topologies/top-nope", headers=PAGE)
    assert api.status_code == 404 and "code" in api.json()["error"]
    script = client.get("/topologies/top-nope")  # no Accept: text/html
    assert script.status_code == 404 and "code" in script.json()["error"]


def test_a_method_a_page_does_not_have_and_a_defect_are_pages_too(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    method = client.put("/", headers=PAGE)
    assert method.status_code == 405 and "Not something this page does" in method.text
    monkeypatch.setattr(Store, "list_topologies", lambda *_, **__: 1 / 0)
    defect = client.get("/", headers=PAGE)
    assert defect.status_code == 500 and "Something went wrong" in defect.text
    assert "ZeroDivisionError" not in defect.text
