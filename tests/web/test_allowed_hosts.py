"""The lab answers only to its own names: loopback ones by default, more when configured."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.db.store import Store
from app.main import create_app
from tests.conftest import TEST_SECRET_KEY


@pytest.fixture
def configured(
    store: Store, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    """A lab started with ``VPCLAB_ALLOWED_HOSTS`` and the default names otherwise."""
    monkeypatch.setenv("VPCLAB_ALLOWED_HOSTS", "lab.example.edu, 10.0.0.5")
    settings = Settings(database_url=database_url, auto_migrate=False, secret_key=TEST_SECRET_KEY)
    with TestClient(create_app(settings, store=store), raise_server_exceptions=False) as c:
        yield c


def test_a_foreign_host_name_is_refused(client: TestClient) -> None:
    for host in ("evil.example", "localhost.evil.example", "evil.example:8000", "127.0.0.2"):
        page = client.get("/", headers={"Host": host})
        assert page.status_code == 400, host
        assert "VPCLAB_ALLOWED_HOSTS" in page.text
    api = client.post("/api/v1/topologies", json={"name": "x"}, headers={"Host": "evil.example"})
    assert api.status_code == 400 and api.json()["error"]["code"] == "InvalidHost"
    assert client.get("/api/v1/topologies").json()["topologies"] == []


def test_loopback_names_are_answered_on_any_port(client: TestClient) -> None:
    for host in ("localhost:8000", "127.0.0.1:8000", "[::1]:8000", "localhost", "[::1]"):
        assert client.get("/", headers={"Host": host}).status_code == 200, host


def test_configured_names_are_answered_and_the_default_knows_no_other(
    configured: TestClient,
) -> None:
    for host in ("lab.example.edu", "lab.example.edu:8443", "10.0.0.5:8000", "localhost:8000"):
        assert configured.get("/", headers={"Host": host}).status_code == 200, host
    assert configured.get("/", headers={"Host": "testserver"}).status_code == 400
    assert configured.get("/", headers={"Host": "evil.example"}).status_code == 400
