"""Issue 10's flood, on loopback: 60 reachability-matrix requests abandoned after 5 s, then 90
at once, against a real server holding a tier-M account (a matrix is seconds of CPU). The
server stays responsive, most of the flood is refused at once with 429, and once the clients
are gone nothing is left running. (``make bench`` holds the strict latency ratio.)"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from app.config import Settings
from app.db.store import Store
from app.engine import write_bundle
from app.engine.generator import generate
from app.main import create_app
from tests.server import serving

ABANDONED, CONCURRENT, CLIENT_TIMEOUT_S = 60, 90, 5.0
# Ports per request: 8 make each job tens of seconds, far longer than the flood, so a job that
# is not cancelled when its clients leave is still seen running afterwards.
PORTS = 8


@dataclass
class Sampler:
    """GET ``path`` in a loop until stopped: what a monitoring probe, or a person reloading a
    page, sees."""

    url: str
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        with httpx.Client(timeout=30) as client:
            while not self.stop.is_set():
                start = time.perf_counter()
                try:
                    client.get(self.url).raise_for_status()
                except httpx.HTTPError as error:
                    self.failures.append(repr(error))
                self.latencies.append(time.perf_counter() - start)
                time.sleep(0.05)

    def __str__(self) -> str:
        return (
            f"median {statistics.median(self.latencies) * 1000:.1f} ms, p95 "
            f"{quantile(self.latencies, 0.95) * 1000:.1f} ms, max "
            f"{max(self.latencies) * 1000:.0f} ms ({len(self.latencies)} requests)"
        )


def probing(urls: list[str], seconds: float | None = None) -> tuple[list[Sampler], Any]:
    """Samplers for ``urls``, running in threads; stop them with the returned function (or
    after ``seconds``)."""
    samplers = [Sampler(url) for url in urls]
    threads = [threading.Thread(target=s.run) for s in samplers]
    for thread in threads:
        thread.start()

    def stop() -> None:
        for sampler in samplers:
            sampler.stop.set()
        for thread in threads:
            thread.join()

    if seconds is not None:
        time.sleep(seconds)
        stop()
    return samplers, stop


def quantile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@pytest.fixture
def tier_m(store: Store) -> str:
    model = generate("M")
    topology = store.create_topology(name="tier M", region=model.region)["id"]
    store.import_bundle(topology, write_bundle(model))
    return topology


def matrix(client: httpx.Client, topology: str, first_port: int) -> int | str:
    """One flood request: its status, or how it ended when the client gave up."""
    url = f"/api/v1/topologies/{topology}/reachability-matrix"
    ports = [("port", first_port + n) for n in range(PORTS)]
    try:
        response = client.get(url, params=ports)
    except httpx.TimeoutException:
        return "abandoned"
    if response.status_code == 429:
        assert int(response.headers["Retry-After"]) >= 1
        assert response.json()["error"]["code"] == "RequestLimitExceeded"
    return response.status_code


@pytest.fixture
def flood_server(store: Store, database_url: str, tier_m: str) -> Iterator[tuple[str, object]]:
    app = create_app(Settings(database_url=database_url, auto_migrate=False), store=store)
    with serving(app) as base:
        yield base, app.state.jobs


def test_a_matrix_flood_neither_starves_the_server_nor_leaves_work_behind(
    flood_server: tuple[str, object], tier_m: str
) -> None:
    base, jobs = flood_server
    probes = [f"{base}/api/v1/health", f"{base}/"]  # the health route, and a page load
    for url in probes:  # warm: the first page load compiles its template
        httpx.get(url, timeout=30).raise_for_status()
    quiet, _ = probing(probes, seconds=3.0)
    loud, stop_probes = probing(probes)
    # One client object for the whole flood (a new one per request costs the client more CPU
    # than the server spends refusing it); a connection each, closed when it times out.
    flood = httpx.Client(
        base_url=base,
        timeout=CLIENT_TIMEOUT_S,
        limits=httpx.Limits(max_connections=ABANDONED + CONCURRENT, max_keepalive_connections=0),
    )
    try:
        with flood, ThreadPoolExecutor(CONCURRENT) as pool:
            # Every port its own question: no two requests share a job.
            first = list(
                pool.map(lambda n: matrix(flood, tier_m, 1000 + PORTS * n), range(ABANDONED))
            )
            start = time.monotonic()
            timed = list(
                pool.map(
                    lambda n: (matrix(flood, tier_m, 2000 + PORTS * n), time.monotonic() - start),
                    range(CONCURRENT),
                )
            )
        clients_gone = time.monotonic()
        while jobs.active():  # type: ignore[attr-defined]
            assert time.monotonic() - clients_gone < 5, "jobs nobody waits for still run"
            time.sleep(0.05)
    finally:
        stop_probes()

    second = [status for status, _ in timed]
    statuses = first + second
    assert not [s for s in statuses if isinstance(s, int) and s >= 500], statuses
    assert first.count("abandoned") <= 4, first  # the client's queue holds 3 jobs
    quick_429s = [t for status, t in timed if status == 429 and t < 2.0]
    assert len(quick_429s) >= 0.8 * CONCURRENT, timed  # most refused at once
    # Neither the health route nor a page was starved: every request answered, none waited
    # long. Medians, with a floor: this machine's other work moves single samples a lot.
    # Before issue 10 the same flood left /health unanswered for 140 s. The floor is 0.25 s:
    # on PostgreSQL with the flood's own clients on the same 2 cores a CI run measured a median
    # of 0.108 s (0.1 failed it); starving is seconds, and the bench's row (g) holds the 3x goal.
    for before, during in zip(quiet, loud, strict=True):
        print(f"{during.url}: unloaded {before}; during the flood {during}")
        assert not during.failures, during.failures[:3]
        unloaded = statistics.median(before.latencies)
        assert statistics.median(during.latencies) < max(3 * unloaded, 0.25)
        assert max(during.latencies) < 3.0
