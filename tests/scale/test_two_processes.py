"""Two uvicorn processes on one PostgreSQL database behave as one server (issue 12's "Done
when"): an exposure report started through one is polled to completion through the other, and
a job whose process died is finished by the other. Each test makes a database of its own
(``scale_<random>``), dropped after; without PostgreSQL they are skipped."""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from app.db.migrate import upgrade
from app.db.session import make_engine
from app.db.store import Store
from app.db.tables import BackgroundJob
from app.engine import write_bundle
from app.engine.generator import generate
from tests.scale.servers import Uvicorn, fresh_postgres_database, uvicorn

JOB = BackgroundJob.__table__  # type: ignore[attr-defined]
DONE = re.compile(r"(\d+) exposed interfaces · computed in ([\d.]+) s")
RUNNING = "Examining interfaces"


@pytest.fixture(scope="module")
def tier_l() -> tuple[str, dict[str, Any]]:
    """A large account (5,000 interfaces; its region and bundle): its exposure report takes a
    second or more."""
    model = generate("L")
    return model.region, write_bundle(model)


@pytest.fixture
def database(tier_l: tuple[str, dict[str, Any]]) -> Iterator[tuple[str, str]]:
    """(URL, topology id) of a fresh database holding the tier-L account."""
    with fresh_postgres_database() as url:
        engine = make_engine(url)
        upgrade(engine)
        store = Store(engine)
        region, bundle = tier_l
        topology = store.create_topology(name="tier L", region=region)["id"]
        store.import_bundle(topology, bundle)
        engine.dispose()
        yield url, topology


def warm(server: Uvicorn, topology: str) -> None:
    """Build the engine model in the server's cache (a single analysis does), so that its
    exposure page answers at once."""
    answer = httpx.post(
        f"{server.base}/api/v1/topologies/{topology}/analyses?store=false",
        json={"source": "internet", "destination": "internet", "protocol": "tcp"},
        timeout=120,
    )
    assert answer.status_code < 500, answer.text


def jobs_of(url: str) -> list[Any]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(select(JOB).order_by(JOB.c.id)))
    finally:
        engine.dispose()


def poll_until_done(server: Uvicorn, topology: str, seconds: float = 120) -> tuple[str, list[str]]:
    """The exposure page of ``server``, polled as the page does (every 1 s there; 0.1 s here)
    until it shows the report: (the report page, what each poll said meanwhile)."""
    seen = []
    deadline = time.monotonic() + seconds
    while True:
        page = httpx.get(f"{server.base}/topologies/{topology}/exposure", timeout=60)
        assert page.status_code == 200, page.text
        if DONE.search(page.text):
            return page.text, seen
        seen.append(RUNNING if RUNNING in page.text else page.text)
        assert time.monotonic() < deadline, "the report never came"
        time.sleep(0.1)


def test_a_report_started_through_one_process_is_polled_to_completion_through_the_other(
    database: tuple[str, str], tmp_path: Path
) -> None:
    url, topology = database
    with uvicorn(url, tmp_path) as first, uvicorn(url, tmp_path) as second:
        assert first.process.pid != second.process.pid
        warm(first, topology)
        warm(second, topology)
        started = httpx.get(f"{first.base}/topologies/{topology}/exposure", timeout=60)
        assert started.status_code == 200 and RUNNING in started.text
        report, meanwhile = poll_until_done(second, topology)
        # The second process answered the progress of the first one's job, then its result.
        assert meanwhile and set(meanwhile) == {RUNNING}, meanwhile
        exposed, seconds = DONE.search(report).groups()  # type: ignore[union-attr]
        # One job for both: the first process shows the very same run.
        again = httpx.get(f"{first.base}/topologies/{topology}/exposure", timeout=60).text
        assert DONE.search(again).groups() == (exposed, seconds)  # type: ignore[union-attr]
        # And the JSON API of either process answers from it.
        api = httpx.get(f"{second.base}/api/v1/topologies/{topology}/exposure?limit=1", timeout=60)
        assert api.status_code == 200 and api.json()["total"] == int(exposed)
        [job] = jobs_of(url)
        assert job.status == "done" and job.claimed_by.endswith(f":{first.process.pid}")
        assert "Traceback" not in first.log + second.log


def test_a_job_whose_process_died_is_finished_by_another(
    database: tuple[str, str], tmp_path: Path
) -> None:
    url, topology = database
    quick = {"VPCLAB_JOB_STALE_S": "2"}  # claims older than 2 s are taken over
    with uvicorn(url, tmp_path, **quick) as doomed, uvicorn(url, tmp_path, **quick) as heir:
        warm(doomed, topology)
        warm(heir, topology)
        started = httpx.get(f"{doomed.base}/topologies/{topology}/exposure", timeout=60)
        assert RUNNING in started.text
        [job] = jobs_of(url)
        assert job.status == "running" and job.claimed_by.endswith(f":{doomed.process.pid}")
        os.kill(doomed.process.pid, signal.SIGKILL)  # mid-report: its claim stops beating
        report, meanwhile = poll_until_done(heir, topology)
        assert DONE.search(report) and set(meanwhile) <= {RUNNING}, meanwhile
        [job] = jobs_of(url)
        assert job.status == "done" and job.claimed_by.endswith(f":{heir.process.pid}")
        assert job.attempts == 2
