"""One slow page request does not stall the others: the form handlers run in the thread pool,
not on the event loop (a 12 MiB import through the page once stalled every request ~3 s)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from app.config import Settings
from app.db.store import Store
from app.main import create_app
from tests.server import serving

SLOW_S = 3.0

BUNDLE = json.dumps({"Vpcs": [{"VpcId": "vpc-0123456789abcdef0", "CidrBlock": "10.0.0.0/16"}]})

# (store method slowed down, the page request that calls it)
Post = Callable[[httpx.Client, str, str], httpx.Response]
FORMS: list[tuple[str, Post]] = [
    ("create_topology", lambda c, base, t: c.post(f"{base}/topologies", data={"name": "x"})),
    (
        "import_bundle",
        lambda c, base, t: c.post(
            f"{base}/topologies/import", files={"bundle": ("b.json", BUNDLE)}, data={"name": "i"}
        ),
    ),
    (
        "rename_topology",
        lambda c, base, t: c.post(f"{base}/topologies/{t}/rename", data={"name": "renamed"}),
    ),
    ("change", lambda c, base, t: c.post(f"{base}/topologies/{t}/do/create-igw", data={})),
    (
        "run_analysis",
        lambda c, base, t: c.post(
            f"{base}/topologies/{t}/test",
            data={"source": "internet", "destination": "internet", "preset": "ssh"},
        ),
    ),
]


@pytest.mark.parametrize(("method", "post"), FORMS, ids=[m for m, _ in FORMS])
def test_a_slow_form_does_not_stall_other_requests(
    store: Store, database_url: str, monkeypatch: pytest.MonkeyPatch, method: str, post: Post
) -> None:
    topology = store.create_topology(name="slow", template="seed-001-nat")["id"]
    real = getattr(store, method)

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(SLOW_S)  # as a large import or a cold model build would
        return real(*args, **kwargs)

    monkeypatch.setattr(store, method, slow)
    app = create_app(Settings(database_url=database_url, auto_migrate=False), store=store)
    with serving(app) as base, httpx.Client(timeout=30) as client:
        client.get(f"{base}/api/v1/health").raise_for_status()
        answered: list[int] = []
        worker = threading.Thread(
            target=lambda: answered.append(post(client, base, topology).status_code)
        )
        worker.start()
        time.sleep(0.3)  # the slow request is being handled now
        start = time.perf_counter()
        health = httpx.get(f"{base}/api/v1/health", timeout=30)
        page = httpx.get(f"{base}/", timeout=30)
        waited = time.perf_counter() - start
        worker.join()
    assert health.status_code == 200 and page.status_code == 200
    assert answered and answered[0] < 500
    assert waited < SLOW_S / 2, f"other requests waited {waited:.2f} s for the slow one"
