"""Fair use: expensive routes answer 429 with Retry-After past a client's rate, a full job
queue says so on the page, and requests waiting for a job hold no server thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from app import whole_network
from app.config import Settings
from app.db.store import Store
from app.main import create_app
from tests.conftest import TEST_SECRET_KEY, csrf_token_of
from tests.server import serving

from .lab import Lab, expect_error


def own_settings(database_url: str, **limits: Any) -> Settings:
    """Settings for a test client of its own: the test host allowed, a fixed CSRF key."""
    return Settings(
        database_url=database_url,
        auto_migrate=False,
        allowed_hosts=["testserver"],
        secret_key=TEST_SECRET_KEY,
        **limits,
    )


def app_client(store: Store, database_url: str, **limits: Any) -> TestClient:
    settings = own_settings(database_url, **limits)
    client = TestClient(create_app(settings, store=store), raise_server_exceptions=False)
    client.headers["X-CSRF-Token"] = csrf_token_of(client.get("/").text)
    return client


def test_expensive_routes_answer_429_with_retry_after_past_a_clients_rate(
    store: Store, database_url: str
) -> None:
    limits = {"whole_network_per_minute": 2, "analyses_per_minute": 3, "imports_per_minute": 1}
    with app_client(store, database_url, **limits) as client:
        lab = Lab(client, "seed-002-ssh")
        lab.ok("GET", "exposure")
        lab.ok("GET", "reachability-matrix")
        refused = lab.call("GET", "exposure")
        expect_error(refused, 429, "RequestLimitExceeded")
        assert 1 <= int(refused.headers["Retry-After"]) <= 30  # one request every 30 s
        ssh = {"source": "internet", "destination": "internet", "protocol": "tcp"}
        for _ in range(3):
            assert lab.call("POST", "analyses?store=false", ssh).status_code == 400
        expect_error(lab.call("POST", "analyses?store=false", ssh), 429, "RequestLimitExceeded")
        lab.ok("POST", "import", {"Vpcs": []})
        expect_error(lab.call("POST", "import", {"Vpcs": []}), 429, "RequestLimitExceeded")
        lab.ok("GET", "export")  # cheap routes are not limited
        lab.ok("GET", "vpcs")
    # Another client (address) has its own allowance.
    other = TestClient(client.app, client=("192.0.2.7", 50000), raise_server_exceptions=False)
    with other:
        assert other.get(f"/api/v1/topologies/{lab.id}/exposure").status_code == 200


@pytest.fixture
def slow_analyses(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Whole-network analyses that take until the returned event is set (or 10 s), reporting
    progress as the engine's do."""
    release = threading.Event()

    def slow(real: Callable[..., Any]) -> Callable[..., Any]:
        def run(model: Any, *args: Any) -> Any:
            progress = next(a for a in args if callable(a))
            deadline = time.monotonic() + 10
            while not release.is_set() and time.monotonic() < deadline:
                progress(0, 1)
                time.sleep(0.02)
            return real(model, *args)

        return run

    monkeypatch.setattr(whole_network, "exposure_report", slow(whole_network.exposure_report))
    monkeypatch.setattr(
        whole_network, "reachability_matrix", slow(whole_network.reachability_matrix)
    )
    yield release
    release.set()


def test_a_full_job_queue_is_said_on_the_page_with_429(
    store: Store, database_url: str, slow_analyses: threading.Event
) -> None:
    with app_client(store, database_url, jobs_per_client=1) as client:
        lab = Lab(client, "seed-001-nat")
        running = client.get(f"/topologies/{lab.id}/exposure")
        assert running.status_code == 200 and "Examining interfaces" in running.text
        busy = client.get(f"/topologies/{lab.id}/matrix?preset=mysql")
        assert busy.status_code == 429 and int(busy.headers["Retry-After"]) >= 1
        assert "RequestLimitExceeded" in busy.text and "wait for one to finish" in busy.text
        expect_error(lab.call("GET", "reachability-matrix"), 429, "RequestLimitExceeded")
        slow_analyses.set()
        deadline = time.monotonic() + 10
        while client.app.state.jobs.active():  # type: ignore[attr-defined]
            assert time.monotonic() < deadline
            time.sleep(0.05)
        page = client.get(f"/topologies/{lab.id}/matrix?preset=mysql")
        assert page.status_code == 200 and "RequestLimitExceeded" not in page.text


def test_requests_waiting_for_a_job_hold_no_server_thread(
    store: Store, database_url: str, slow_analyses: threading.Event
) -> None:
    """More waiting requests than the server has threads (40): health still answers at once."""
    waiting = 50
    topology = store.create_topology(name="busy", template="seed-001-nat")["id"]
    app = create_app(Settings(database_url=database_url, auto_migrate=False), store=store)
    with serving(app) as base, ThreadPoolExecutor(waiting) as pool:
        url = f"{base}/api/v1/topologies/{topology}/reachability-matrix?port=22"
        answers = [pool.submit(httpx.get, url, timeout=30) for _ in range(waiting)]
        deadline = time.monotonic() + 10
        while not (app.state.jobs.active() and app.state.jobs.active()[0].waiters == waiting):
            assert time.monotonic() < deadline, "the requests did not all arrive"
            time.sleep(0.05)
        start = time.perf_counter()
        health = httpx.get(f"{base}/api/v1/health", timeout=30)
        waited = time.perf_counter() - start
        slow_analyses.set()
        statuses = [a.result().status_code for a in answers]
    assert health.status_code == 200 and waited < 1.0, f"health took {waited:.2f} s"
    assert statuses == [200] * waiting


def test_quotas_on_topologies_and_saved_analyses(engine: Any, database_url: str) -> None:
    store = Store(engine, max_topologies=2, max_analyses=2)
    settings = own_settings(database_url)
    with TestClient(create_app(settings, store=store), raise_server_exceptions=False) as client:
        client.headers["X-CSRF-Token"] = csrf_token_of(client.get("/").text)
        lab = Lab(client, "seed-002-ssh")
        Lab(client, name="second")
        refused = expect_error(
            client.post("/api/v1/topologies", json={"name": "third"}), 400, "TopologyLimitExceeded"
        )
        assert "2" in refused["message"]
        page = client.post("/topologies", data={"name": "third"})  # the page says it too
        assert page.status_code == 400 and "TopologyLimitExceeded" in page.text

        ssh = {"source": "internet", "destination": lab.instances()[0]["InstanceId"]}
        ssh |= {"protocol": "tcp", "destination_port": 22}
        first = lab.ok("POST", "analyses", ssh, status=201)
        lab.ok("POST", "analyses", ssh, status=201)
        lab.fails("POST", "analyses", ssh, 400, "AnalysisLimitExceeded")
        lab.ok("POST", "analyses?store=false", ssh)  # testing without saving still works
        saved = client.post(f"/topologies/{lab.id}/test", data={**ssh, "save": "1"})
        assert "AnalysisLimitExceeded" in saved.text
        assert len(lab.ok("GET", "analyses")["analyses"]) == 2
        lab.ok("DELETE", f"analyses/{first['id']}", status=204)
        lab.fails("GET", f"analyses/{first['id']}", None, 404, "InvalidAnalysisID.NotFound")
        lab.fails("DELETE", f"analyses/{first['id']}", None, 404, "InvalidAnalysisID.NotFound")
        lab.ok("POST", "analyses", ssh, status=201)  # room again

        client.delete(f"/api/v1/topologies/{lab.id}")
        Lab(client, name="room again")


def test_the_quotas_come_from_the_settings(database_url: str) -> None:
    settings = own_settings(database_url, max_topologies=1)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        Lab(client)
        expect_error(
            client.post("/api/v1/topologies", json={"name": "x"}), 400, "TopologyLimitExceeded"
        )
    unlimited = own_settings(database_url, max_topologies=0)
    with TestClient(create_app(unlimited), raise_server_exceptions=False) as client:
        Lab(client, name="no quota")
