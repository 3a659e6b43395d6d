"""Rows (h) and (i) of `make bench`: a class of students, each in their own lab, on PostgreSQL.

(h) 100 students with 1-3 s between clicks (page loads, security group edits, test connection)
    against 2 uvicorn workers: errors, and p95 against the same requests unloaded (one student
    alone, same server, same run).
(i) the same students with no pause (stress), against 1 worker and then 2: the requests per
    second of each, and their ratio (a second worker's worth: ~2x on 2 free cores).

The server runs as a class would run it: a fresh ``load_<random>`` database migrated once, then
``uvicorn --workers N`` with ``VPCLAB_AUTO_MIGRATE=false``. The students are httpx async clients
in this process, each with its own cookies, driving the pages as a browser with htmx does.
Signing in is ``Student.sign_in``: personal mode only fetches the first page (the CSRF cookie
and token); classroom mode's log-in goes there, and nothing else changes.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import secrets
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

TEMPLATE = "seed-001-nat"  # a public web server and a private database behind a NAT gateway
ADMIN_URL = os.environ.get(
    "VPCLAB_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@dataclass
class Sample:
    kind: str
    seconds: float
    status: int | str


@dataclass
class Student:
    """One learner's browser: cookies, the CSRF token of the pages, and their lab's ids."""

    client: httpx.AsyncClient
    number: int
    rng: random.Random
    token: str = ""
    lab: str = ""
    group: str = ""
    instances: list[str] = field(default_factory=list)
    rules_added: int = 0
    _last_editor: str = ""  # the group's editor as last shown: where a revoke finds its rule

    async def sign_in(self) -> None:
        """Personal mode: the first page sets the CSRF cookie and carries the token. (Classroom
        mode: post the log-in form here, then read the token from the page it leads to.)"""
        page = await self.client.get("/")
        page.raise_for_status()
        self.token = token_of(page.text)

    async def open_lab(self) -> None:
        """Create their own lab from the course template, as the topologies page does."""
        made = await self.client.post(
            "/topologies",
            data={"name": f"student {self.number}", "template": TEMPLATE, "csrf_token": self.token},
        )
        if made.status_code != 303:
            raise RuntimeError(f"creating a lab answered {made.status_code}: {made.text[:300]}")
        self.lab = made.headers["location"].rsplit("/", 1)[1]
        page = (await self.client.get(f"/topologies/{self.lab}")).text
        self.group = re.findall(r'data-id="(sg-[0-9a-f]+)"', page)[-1]
        self.instances = sorted(set(re.findall(r'data-id="(i-[0-9a-f]+)"', page)))

    def _htmx(self, target: str = "workspace") -> dict[str, str]:
        return {"HX-Request": "true", "HX-Target": target, "X-CSRF-Token": self.token}

    async def view(self) -> httpx.Response:
        """The workspace page (a full load), or a click that opens the group's editor."""
        if self.rng.random() < 0.5:
            return await self.client.get(f"/topologies/{self.lab}")
        return await self.client.get(
            f"/topologies/{self.lab}?select={self.group}", headers=self._htmx("editor")
        )

    async def edit(self) -> httpx.Response:
        """Add an inbound rule to the group, or take the last one added away again."""
        url = f"/topologies/{self.lab}/do/"
        if self.rules_added == 0:
            form = {
                "GroupId": self.group,
                "Direction": "ingress",
                "Type": "custom-tcp",
                "PortRange": str(self.rng.randrange(8000, 9000)),
                "Peer": "0.0.0.0/0",
            }
            response = await self.client.post(url + "authorize-sg", data=form, headers=self._htmx())
            self.rules_added += response.status_code == 200
            return response
        indexes = re.findall(
            r'name="Direction" value="ingress">\s*<input type="hidden" name="Index" value="(\d+)"',
            self._last_editor,
        )
        if not indexes:  # the editor last seen was not the group's: look at it first
            return await self.client.get(
                f"/topologies/{self.lab}?select={self.group}", headers=self._htmx("editor")
            )
        form = {"GroupId": self.group, "Direction": "ingress", "Index": max(indexes, key=int)}
        response = await self.client.post(url + "revoke-sg", data=form, headers=self._htmx())
        self.rules_added -= response.status_code == 200
        return response

    async def test(self) -> httpx.Response:
        """Test connection: SSH or HTTP from the internet to an instance, MySQL between them."""
        one, other = self.instances[0], self.instances[-1]
        source, destination, preset = self.rng.choice(
            [("internet", one, "ssh"), ("internet", other, "http"), (one, other, "mysql")]
        )
        form = {"source": source, "destination": destination, "preset": preset}
        return await self.client.post(
            f"/topologies/{self.lab}/test", data=form, headers=self._htmx()
        )

    async def click(self) -> Sample:
        """One thing a learner does: look (45%), test a connection (40%) or edit (15%)."""
        roll = self.rng.random()
        kind = "page" if roll < 0.45 else "test" if roll < 0.85 else "edit"
        start = time.perf_counter()
        try:
            if kind == "page":
                response = await self.view()
            elif kind == "test":
                response = await self.test()
            else:
                response = await self.edit()
        except httpx.TransportError as error:
            return Sample(kind, time.perf_counter() - start, type(error).__name__)
        seconds = time.perf_counter() - start
        if kind == "edit" or "select=" in str(response.request.url):
            self._last_editor = response.text
        return Sample(kind, seconds, response.status_code)


def token_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    if not found:
        raise RuntimeError("the page carries no CSRF token")
    return found.group(1)


async def enrol(base: str, count: int) -> list[Student]:
    """``count`` students signed in, each with a lab of their own (not timed)."""
    students = [
        Student(
            httpx.AsyncClient(base_url=base, timeout=120, follow_redirects=False),
            number,
            random.Random(number),
        )
        for number in range(count)
    ]
    for batch in range(0, count, 10):
        group = students[batch : batch + 10]
        await asyncio.gather(*(s.sign_in() for s in group))
        await asyncio.gather(*(s.open_lab() for s in group))
    for student in students:  # the editor the first revoke reads its rule from
        student._last_editor = (
            await student.client.get(
                f"/topologies/{student.lab}?select={student.group}",
                headers=student._htmx("editor"),
            )
        ).text
    return students


async def attend(
    students: list[Student], seconds: float, think: tuple[float, float]
) -> list[Sample]:
    """Every student clicks until ``seconds`` have passed, pausing ``think`` (uniform) between
    clicks; each starts at a random moment of their first pause, as a class does."""
    deadline = time.perf_counter() + seconds
    samples: list[Sample] = []

    async def one(student: Student) -> None:
        await asyncio.sleep(student.rng.uniform(0, think[1]))
        while time.perf_counter() < deadline:
            samples.append(await student.click())
            await asyncio.sleep(student.rng.uniform(*think))

    await asyncio.gather(*(one(s) for s in students))
    return samples


def process_tree_cpu(pid: int) -> dict[int, float]:
    """CPU seconds of process ``pid`` and of every process under it (uvicorn's workers)."""
    from pathlib import Path

    from bench.run import cpu_seconds

    found: dict[int, float] = {}
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            found[current] = cpu_seconds(current)
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


class Meter:
    """Wall time, the server's CPU and this process's (the students') over one phase."""

    def __init__(self, server: Any) -> None:
        self.pid = server.process.pid
        self.wall = time.perf_counter()
        self.server = process_tree_cpu(self.pid)
        self.client = time.process_time()

    def describe(self, samples: list[Sample]) -> dict[str, Any]:
        wall = time.perf_counter() - self.wall
        found = describe(samples, wall)
        now = process_tree_cpu(self.pid)
        spent = {pid: cpu - self.server.get(pid, 0.0) for pid, cpu in now.items()}
        found["server_cpu_s"] = sum(spent.values())
        # How the work was shared: each keep-alive connection stays with the worker that
        # accepted it, so an uneven split shows here (the supervisor's own share is ~0).
        found["server_cpu_s_by_process"] = sorted(
            (round(s, 2) for s in spent.values()), reverse=True
        )
        found["students_cpu_s"] = time.process_time() - self.client
        found["server_cpu_ms_per_request"] = 1000 * found["server_cpu_s"] / max(len(samples), 1)
        return found


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else float("nan")


def describe(samples: list[Sample], seconds: float) -> dict[str, Any]:
    errors = [s for s in samples if not (isinstance(s.status, int) and s.status < 400)]
    times = [s.seconds for s in samples]
    by_kind = {
        kind: {
            "n": len(mine),
            "median_ms": statistics.median(mine) * 1000,
            "p95_ms": p95(mine) * 1000,
        }
        for kind in ("page", "test", "edit")
        if (mine := [s.seconds for s in samples if s.kind == kind])
    }
    return {
        "requests": len(samples),
        "per_second": len(samples) / seconds,
        "errors": len(errors),
        "error_statuses": sorted({str(s.status) for s in errors}),
        "median_ms": statistics.median(times) * 1000 if times else float("nan"),
        "p95_ms": p95(times) * 1000,
        "by_kind": by_kind,
    }


@contextmanager
def load_database() -> Iterator[str | None]:
    """A fresh ``load_<random>`` PostgreSQL database, migrated once, dropped afterwards; None
    when no PostgreSQL answers (the rows are then skipped)."""
    import sqlalchemy

    from app.db.migrate import upgrade
    from app.db.session import make_engine

    admin = sqlalchemy.create_engine(
        ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    name = f"load_{secrets.token_hex(4)}"
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sqlalchemy.exc.OperationalError:
        admin.dispose()
        yield None
        return
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        engine = make_engine(url)
        upgrade(engine)  # once, before any worker starts
        engine.dispose()
        yield url
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def server_settings() -> dict[str, str]:
    """As a class deployment sets them: one key for every worker (the CSRF tokens a page of
    one worker hands out must pass at the other), no per-user topology quota (personal mode
    counts every student's lab as the one local owner's), migrations already done."""
    return {
        "VPCLAB_AUTO_MIGRATE": "false",
        "VPCLAB_SECRET_KEY": secrets.token_urlsafe(48),
        "VPCLAB_MAX_TOPOLOGIES": "0",
    }


async def _class_rows(
    Server: Any, url: str, count: int, phase_s: float, settings: dict[str, str]
) -> dict[str, Any]:
    results: dict[str, Any] = {"students": count, "template": TEMPLATE, "phase_s": phase_s}
    with Server(url, workers=2, env=settings) as server:
        students = await enrol(server.url, count)
        try:
            # Unloaded: one student alone, the same clicks, no pause.
            alone = students[:1]
            await attend(alone, 2.0, (0.0, 0.0))  # warm: this worker's models, connections
            meter = Meter(server)
            unloaded = await attend(alone, phase_s / 3, (0.0, 0.0))
            results["unloaded"] = meter.describe(unloaded)
            meter = Meter(server)
            loaded = await attend(students, phase_s, (1.0, 3.0))
            results["h_loaded"] = meter.describe(loaded)
            results["h_ratio_p95"] = results["h_loaded"]["p95_ms"] / results["unloaded"]["p95_ms"]
            meter = Meter(server)
            stress = await attend(students, phase_s, (0.0, 0.0))
            results["i_two_workers"] = meter.describe(stress)
        finally:
            await asyncio.gather(*(s.client.aclose() for s in students))
    with Server(url, workers=1, env=settings) as server:
        for student in students:
            student.client = httpx.AsyncClient(
                base_url=server.url, timeout=120, cookies=student.client.cookies
            )
        try:
            await attend(students, min(5.0, phase_s / 4), (0.0, 0.0))  # warm the models
            meter = Meter(server)
            stress = await attend(students, phase_s, (0.0, 0.0))
            results["i_one_worker"] = meter.describe(stress)
        finally:
            await asyncio.gather(*(s.client.aclose() for s in students))
    results["i_throughput_ratio"] = (
        results["i_two_workers"]["per_second"] / results["i_one_worker"]["per_second"]
    )
    return results


def measure_class(Server: Any, count: int, phase_s: float) -> dict[str, Any]:
    """Rows (h) and (i), or ``{"skipped": why}`` without PostgreSQL."""
    with load_database() as url:
        if url is None:
            return {"skipped": f"no PostgreSQL at {ADMIN_URL} (set VPCLAB_BENCH_POSTGRES_URL)"}
        return asyncio.run(_class_rows(Server, url, count, phase_s, server_settings()))
