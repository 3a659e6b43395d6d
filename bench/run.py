"""`make bench`: builds the tiers and measures what issue 5's goals name, as same-run ratios.

(a) a single analysis in the engine on L, against a bare loop over the same rules;
(b) the analysis over HTTP, against a no-op route of the same app;
(c) the exposure report on L, against the naive loop of single analyses (extrapolated from a
    sample of interfaces: the full loop takes minutes);
(d) importing L through the store, against json.load plus raw sqlite3.executemany of the rows;
(e) rendering the workspace page of M and L, against json.dumps of the same data;
(f) 25 concurrent users on loopback (page loads, analyses, one import): p95 loaded vs unloaded;
(g) issue 10's flood on M: 60 matrix requests abandoned after 5 s, then 90 at once; /health p95
    during the flood vs unloaded, and the server's CPU once the clients are gone;
(h) a class: 100 students each in their own lab, 1-3 s think time, 2 workers on PostgreSQL;
(i) the same students with no think time, 1 worker vs 2 (bench/classroom.py; both skipped
    when no PostgreSQL answers);
and tier Q (quota-max stress) in a child process: the exposure report and one matrix row.
Prints a table and writes bench/results.json. `--smoke` runs tier S with few iterations (CI
runs it so the benchmark keeps working; it asserts no times).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from app.db.migrate import upgrade
from app.db.session import make_engine
from app.db.store import Store
from app.engine import Topology, analyze, write_bundle
from app.engine.exposure import exposure_report, header_classes, is_exposable, representative
from app.engine.generator import generate
from bench.classroom import measure_class

OUT = Path(__file__).resolve().parent / "results.json"


def timings(action: Callable[[], Any], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return samples


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return {"median_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000, "n": len(ordered)}


def requests_for(topology: Topology, count: int, seed: int = 1) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    enis = [
        e
        for e in topology.network_interfaces.values()
        if e.interface_type == "interface" and e.instance_id
    ]
    requests = []
    for _ in range(count):
        if rng.random() < 0.5:
            a, b = rng.sample(enis, 2)
            requests.append(
                {
                    "source": a.network_interface_id,
                    "destination": b.network_interface_id,
                    "protocol": "tcp",
                    "destination_port": rng.choice((22, 443, 3306)),
                }
            )
        else:
            requests.append(
                {
                    "source": "internet",
                    "destination": rng.choice(enis).network_interface_id,
                    "protocol": "tcp",
                    "destination_port": rng.choice((22, 80, 443)),
                }
            )
    return requests


def bare_rule_loop(topology: Topology, request: dict[str, Any]) -> int:
    """The floor: visit the rules on the request's path with no objects and no evidence."""
    port = request["destination_port"]
    matched = 0
    dst = topology.network_interfaces[request["destination"]]
    ends = (
        [dst]
        if request["source"] == "internet"
        else [topology.network_interfaces[request["source"]], dst]
    )
    for eni in ends:
        acl = topology.network_acl_for(eni.subnet_id)
        rtb = topology.route_table_for(eni.subnet_id)
        for entry in acl.entries if acl else ():
            if entry.port_range is None or entry.port_range[0] <= port <= entry.port_range[1]:
                matched += 1
                break
        for route in rtb.routes if rtb else ():
            matched += route.destination.prefixlen
        for group_id in eni.groups:
            for rule in topology.security_groups[group_id].ingress:
                if rule.from_port is None or rule.from_port <= port <= (rule.to_port or 0):
                    matched += 1
    return matched


def measure_engine(topology: Topology, repeat: int) -> dict[str, Any]:
    requests = requests_for(topology, repeat)
    it = iter(requests)
    engine = timings(lambda: analyze(topology, next(it)), repeat)
    it2 = iter(requests)
    floor = timings(lambda: bare_rule_loop(topology, next(it2)), repeat)
    e, f = summary(engine), summary(floor)
    return {"engine": e, "bare_rule_loop": f, "ratio_p95": e["p95_ms"] / f["p95_ms"]}


def measure_exposure(topology: Topology, sample: int) -> dict[str, Any]:
    start = time.perf_counter()
    report = exposure_report(topology)
    fast = time.perf_counter() - start
    rng = random.Random(3)
    interfaces = [
        e for e in topology.network_interfaces.values() if e.interface_type == "interface"
    ]
    chosen = rng.sample(interfaces, min(sample, len(interfaces)))
    start = time.perf_counter()
    for eni in chosen:
        for protocol, ports, source in header_classes(topology, eni):
            header = representative(protocol, ports, source, eni.primary_ip)
            request: dict[str, Any] = {
                "source": "internet",
                "source_ip": str(header.source_ip),
                "destination": eni.network_interface_id,
                "protocol": protocol,
            }
            if header.destination_port is not None:
                request["destination_port"] = header.destination_port
            analyze(topology, request)
    naive = (time.perf_counter() - start) * len(interfaces) / len(chosen)
    return {
        "exposure_s": fast,
        "naive_loop_s_extrapolated": naive,
        "naive_sample_interfaces": len(chosen),
        "speedup": naive / fast,
        "exposed_interfaces": len(report),
        "exposable_interfaces": sum(1 for e in interfaces if is_exposable(topology, e)),
    }


def measure_matrix(topology: Topology) -> dict[str, Any]:
    from app.engine.matrix import reachability_matrix

    start = time.perf_counter()
    matrix = reachability_matrix(topology, "tcp", 22)
    return {
        "seconds": time.perf_counter() - start,
        "instances": len(matrix.instances),
        "pairs": len(matrix.instances) * (len(matrix.instances) - 1),
        "tracer_fallbacks": matrix.fallbacks,
    }


def measure_import(bundle: dict[str, Any], region: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.db")
        upgrade(engine)
        store = Store(engine)
        topology = store.create_topology(name="bench", region=region)
        text = json.dumps(bundle)
        start = time.perf_counter()
        store.import_bundle(topology["id"], json.loads(text))
        ours = time.perf_counter() - start
        engine.dispose()
        start = time.perf_counter()
        data = json.loads(text)
        connection = sqlite3.connect(f"{folder}/floor.db")
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(
            "CREATE TABLE r (topology TEXT, id TEXT, kind TEXT, doc TEXT, "
            "PRIMARY KEY (topology, id))"
        )
        rows = [
            ("t", f"{key}:{index}", key, json.dumps(item))
            for key, items in data.items()
            for index, item in enumerate(items)
        ]
        connection.executemany("INSERT INTO r VALUES (?, ?, ?, ?)", rows)
        connection.commit()
        connection.close()
        floor = time.perf_counter() - start
    return {"import_s": ours, "json_plus_sqlite_floor_s": floor, "ratio": ours / floor}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """uvicorn serving the app in a process of its own, as ``make run`` does (one process, the
    schema migrated at start-up): the load generator never shares the server's interpreter.
    ``workers`` > 1 and ``env`` (more ``VPCLAB_*`` settings) serve as a class deployment."""

    def __init__(
        self, database_url: str, *, workers: int = 1, env: dict[str, str] | None = None
    ) -> None:
        self.database_url = database_url
        self.workers = workers
        self.env = env or {}
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        env = {
            **os.environ,
            "VPCLAB_DATABASE_URL": self.database_url,
            "VPCLAB_AUTO_MIGRATE": "true",
            **self.env,
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "app.main:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
                "--backlog",
                "256",
                "--timeout-keep-alive",
                "60",
                *(["--workers", str(self.workers)] if self.workers > 1 else []),
            ],
            env=env,
            cwd=Path(__file__).resolve().parents[1],
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}")
            try:
                httpx.get(f"{self.url}/api/v1/health", timeout=2).raise_for_status()
                return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("the server did not start within 120 s")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def peak_memory_mib(self) -> float:
        """The server process's peak resident memory (VmHWM)."""
        assert self.process is not None
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def __exit__(self, *_: Any) -> None:
        assert self.process is not None
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def measure_http(base: str, topology_id: str, requests: list[dict[str, Any]]) -> dict[str, Any]:
    url = f"{base}/api/v1/topologies/{topology_id}/analyses?store=false"
    with httpx.Client(timeout=60) as client:
        client.post(url, json=requests[0])  # warm the model cache
        it = iter(requests)
        analysis = timings(
            lambda: client.post(url, json=next(it)).raise_for_status(), len(requests)
        )
        noop = timings(
            lambda: client.get(f"{base}/api/v1/health").raise_for_status(), len(requests)
        )
    a, n = summary(analysis), summary(noop)
    return {"analysis": a, "noop_route": n, "ratio_p95": a["p95_ms"] / n["p95_ms"]}


def measure_render(
    base: str, topology_id: str, bundle: dict[str, Any], repeat: int
) -> dict[str, Any]:
    """The workspace page warm (the diagram of this revision already drawn), cold (the first
    view after a change: here a rename), and the fragment a click asks for."""
    page_url = f"{base}/topologies/{topology_id}"
    with httpx.Client(timeout=120) as client:
        client.get(page_url)
        page = timings(lambda: client.get(page_url).raise_for_status(), repeat)
        size = len(client.get(page_url).content)
        cold = []
        for n in range(max(3, repeat // 3)):
            client.patch(
                f"{base}/api/v1/topologies/{topology_id}", json={"name": f"renamed {n}"}
            ).raise_for_status()
            cold += timings(lambda: client.get(page_url).raise_for_status(), 1)
        # The fragment a click in the diagram asks for: one resource's editor.
        subnet = bundle["Subnets"][0]["SubnetId"]
        fragment = timings(
            lambda: client.get(
                f"{page_url}?select={subnet}",
                headers={"HX-Request": "true", "HX-Target": "editor"},
            ).raise_for_status(),
            repeat,
        )
    dumps = timings(lambda: json.dumps(bundle), repeat)
    p, c, f, d = summary(page), summary(cold), summary(fragment), summary(dumps)
    return {
        "page": p,
        "page_bytes": size,
        "page_cold": c,
        "fragment": f,
        "json_dumps": d,
        "ratio_median": p["median_ms"] / d["median_ms"],
        "ratio_cold_median": c["median_ms"] / d["median_ms"],
    }


def measure_load(
    base: str,
    topology_id: str,
    bundle: dict[str, Any],
    requests: list[dict[str, Any]],
    users: int,
    per_user: int,
    think: tuple[float, float] = (0.0, 0.0),
) -> dict[str, Any]:
    """``users`` clients, each ``per_user`` times: a page load (30%) or an analysis, waiting
    ``think`` seconds (uniform) between requests as a person does; user 0 imports a bundle."""
    url = f"{base}/api/v1/topologies/{topology_id}/analyses?store=false"
    with httpx.Client(timeout=60) as client:
        unloaded = [
            client.post(url, json=requests[n % len(requests)]).elapsed.total_seconds()
            for n in range(200)
        ]
    errors: list[str] = []
    loaded: list[float] = []
    lock = threading.Lock()

    def user(number: int) -> None:
        rng = random.Random(number)
        with httpx.Client(timeout=120) as client:
            if number == 0:  # one user imports a copy of the topology meanwhile
                created = client.post(f"{base}/api/v1/topologies", json={"name": "copy"})
                response = client.post(
                    f"{base}/api/v1/topologies/{created.json()['id']}/import", json=bundle
                )
                if response.status_code != 200:
                    errors.append(f"import {response.status_code}")
            for _ in range(per_user):
                time.sleep(rng.uniform(*think))
                try:
                    if rng.random() < 0.3:
                        response = client.get(
                            f"{base}/topologies/{topology_id}?select=x",
                            headers={"HX-Request": "true"},
                        )
                    else:
                        response = client.post(url, json=rng.choice(requests))
                        with lock:
                            loaded.append(response.elapsed.total_seconds())
                except httpx.TransportError as error:  # an error, counted, not a crash
                    errors.append(type(error).__name__)
                    continue
                if response.status_code >= 400:
                    errors.append(str(response.status_code))

    start = time.perf_counter()
    with ThreadPoolExecutor(users) as pool:
        list(pool.map(user, range(users)))
    u, lo = summary(unloaded), summary(loaded)
    return {
        "users": users,
        "think_s": list(think),
        "errors": len(errors),
        "seconds": time.perf_counter() - start,
        "analysis_unloaded": u,
        "analysis_loaded": lo,
        "ratio_p95": lo["p95_ms"] / u["p95_ms"],
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def probe_health(base: str, stop: threading.Event, samples: list[float]) -> None:
    """GET /health every 20 ms until ``stop``: what a monitoring probe sees."""
    with httpx.Client(timeout=60) as client:
        while not stop.is_set():
            start = time.perf_counter()
            client.get(f"{base}/api/v1/health").raise_for_status()
            samples.append(time.perf_counter() - start)
            time.sleep(0.02)


def measure_flood(base: str, topology_id: str, server_pid: int) -> dict[str, Any]:
    """(g) 60 reachability-matrix requests, each a port of its own (no shared job), abandoned
    by their clients after 5 s; then 90 at once. /health is probed throughout and for 3 s
    before (unloaded); the server's CPU is read for 3 s after the clients are gone (a job left
    running would burn a core)."""
    unloaded: list[float] = []
    stop = threading.Event()
    threading.Timer(3.0, stop.set).start()
    probe_health(base, stop, unloaded)
    loaded: list[float] = []
    stop = threading.Event()
    prober = threading.Thread(target=probe_health, args=(base, stop, loaded))
    prober.start()
    outcomes: list[str] = []
    flood = httpx.Client(
        base_url=base,
        timeout=5.0,
        limits=httpx.Limits(max_connections=200, max_keepalive_connections=0),
    )

    def ask(port: int) -> str:
        url = f"/api/v1/topologies/{topology_id}/reachability-matrix"
        try:
            return str(flood.get(url, params={"port": port}).status_code)
        except httpx.TimeoutException:
            return "abandoned"

    start = time.perf_counter()
    with flood, ThreadPoolExecutor(90) as pool:
        outcomes += pool.map(ask, range(1000, 1060))
        outcomes += pool.map(ask, range(2000, 2090))
    flood_s = time.perf_counter() - start
    stop.set()
    prober.join()
    before = cpu_seconds(server_pid)
    time.sleep(3.0)
    after_cpu = cpu_seconds(server_pid) - before
    u, lo = summary(unloaded), summary(loaded)
    return {
        "outcomes": {o: outcomes.count(o) for o in sorted(set(outcomes))},
        "seconds": flood_s,
        "health_unloaded": u,
        "health_loaded": lo,
        "health_max_ms": max(loaded) * 1000,
        "ratio_p95": lo["p95_ms"] / u["p95_ms"],
        "ratio_median": lo["median_ms"] / u["median_ms"],
        "server_cpu_s_after": after_cpu,
    }


def stress_child() -> None:
    """Tier Q in a process of its own (its memory is not L's): the exposure report and one
    source's row of the matrix on two ports. Prints JSON."""
    from app.engine.matrix import matrix_instances, reachability_matrix

    topology = generate("Q")
    start = time.perf_counter()
    report = exposure_report(topology)
    exposure_s = time.perf_counter() - start
    instances = matrix_instances(topology)
    start = time.perf_counter()
    reachability_matrix(topology, "tcp", [22, 443], sources=instances[:1])
    row_s = time.perf_counter() - start
    print(
        json.dumps(
            {
                "interfaces": len(topology.network_interfaces),
                "exposure_s": exposure_s,
                "exposed_interfaces": len(report),
                "exposures": sum(len(i.exposures) for i in report),
                "matrix_row_s": row_s,
                "matrix_row_pairs": 2 * (len(instances) - 1),
                "peak_memory_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def measure_stress() -> dict[str, Any]:
    child = subprocess.run(
        [sys.executable, "-m", "bench.run", "--stress-child"],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        check=True,
        timeout=1800,
    )
    return json.loads(child.stdout)  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tier S, few iterations")
    parser.add_argument("--stress-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stress_child:
        stress_child()
        return
    big, medium = ("S", "S") if args.smoke else ("L", "M")
    repeat = 30 if args.smoke else 500
    results: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "cpus": __import__("os").cpu_count(),
            "platform": platform.platform(),
        },
        "tiers": {"large": big, "medium": medium},
    }
    started = time.perf_counter()
    topologies = {name: generate(name) for name in {big, medium}}
    bundles = {name: write_bundle(t) for name, t in topologies.items()}
    results["a_engine_single_analysis"] = measure_engine(topologies[big], repeat)
    results["c_exposure_report"] = measure_exposure(topologies[big], 10 if args.smoke else 60)
    results["matrix_one_port"] = measure_matrix(topologies[medium])
    results["d_import"] = measure_import(bundles[big], topologies[big].region)
    results["peak_memory_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryDirectory() as folder, Server(f"sqlite:///{folder}/bench.db") as server:
        base = server.url
        ids = {}
        with httpx.Client(timeout=300) as client:
            for name in {big, medium}:
                created = client.post(
                    f"{base}/api/v1/topologies",
                    json={"name": name, "region": topologies[name].region},
                ).json()
                client.post(
                    f"{base}/api/v1/topologies/{created['id']}/import", json=bundles[name]
                ).raise_for_status()
                ids[name] = created["id"]
        requests = requests_for(topologies[big], 100 if args.smoke else 400, seed=2)
        results["b_http_analysis"] = measure_http(base, ids[big], requests)
        results["e_render_workspace"] = {
            name: measure_render(base, ids[name], bundles[name], 3 if args.smoke else 10)
            for name in sorted({big, medium})
        }
        # (f) on the medium tier: a class-sized workload (L's pages are measured in (e)).
        load_requests = requests_for(topologies[medium], 200, seed=4)
        imported = bundles["S"] if "S" in bundles else bundles[medium]
        per_user = 4 if args.smoke else 20
        # People: 0.5-1.5 s between clicks (as locust's wait_time); and a stress run with
        # none, so the table shows both.
        results["f_concurrent_users"] = measure_load(
            base, ids[medium], imported, load_requests, 25, per_user, (0.5, 1.5)
        )
        results["f_concurrent_users"]["tier"] = medium
        results["f_stress_no_think_time"] = measure_load(
            base, ids[medium], imported, load_requests, 25, per_user
        )
        assert server.process is not None
        results["g_flood"] = measure_flood(base, ids[medium], server.process.pid)
        results["g_flood"]["tier"] = medium
        results["server_peak_memory_mib"] = server.peak_memory_mib()
    results["h_i_class"] = measure_class(Server, *((5, 4.0) if args.smoke else (100, 45.0)))
    if not args.smoke:
        results["q_stress"] = measure_stress()
    results["seconds"] = time.perf_counter() - started
    OUT.write_text(json.dumps(results, indent=2))
    print_table(results)


def class_rows(c: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Rows (h) and (i), or why they were skipped."""
    if "skipped" in c:
        return [("(h), (i) a class on PostgreSQL", "skipped: " + c["skipped"], "")]
    h, u = c["h_loaded"], c["unloaded"]
    one, two = c["i_one_worker"], c["i_two_workers"]
    return [
        (
            f"(h) {c['students']} students, own labs, 1-3 s think, 2 workers, PostgreSQL",
            f"errors {h['errors']}, p95 {h['p95_ms']:.0f} ms (unloaded {u['p95_ms']:.0f} ms), "
            f"{h['per_second']:.0f} req/s, server CPU {h['server_cpu_ms_per_request']:.1f} ms/req",
            f"{c['h_ratio_p95']:.1f}x unloaded p95",
        ),
        (
            "(i) the same students, no think time: 1 worker vs 2",
            f"errors {one['errors'] + two['errors']}, {one['per_second']:.0f} vs "
            f"{two['per_second']:.0f} req/s (p95 {one['p95_ms']:.0f} vs {two['p95_ms']:.0f} ms; "
            f"server CPU {one['server_cpu_s'] / c['phase_s']:.2f} vs "
            f"{two['server_cpu_s'] / c['phase_s']:.2f} cores)",
            f"{c['i_throughput_ratio']:.2f}x throughput with 2 workers",
        ),
    ]


def print_table(r: dict[str, Any]) -> None:
    a, b, c, d = (
        r["a_engine_single_analysis"],
        r["b_http_analysis"],
        r["c_exposure_report"],
        r["d_import"],
    )
    f = r["f_concurrent_users"]
    rows = [
        (
            "(a) single analysis, engine, tier " + r["tiers"]["large"],
            f"median {a['engine']['median_ms']:.2f} ms, p95 {a['engine']['p95_ms']:.2f} ms",
            f"{a['ratio_p95']:.1f}x bare rule loop (p95)",
        ),
        (
            "(b) single analysis over HTTP",
            f"median {b['analysis']['median_ms']:.2f} ms, p95 {b['analysis']['p95_ms']:.2f} ms",
            f"{b['ratio_p95']:.1f}x no-op route (p95)",
        ),
        (
            "(c) exposure report",
            f"{c['exposure_s']:.2f} s ({c['exposed_interfaces']} exposed)",
            f"{c['speedup']:.1f}x faster than the naive loop "
            f"(~{c['naive_loop_s_extrapolated']:.0f} s)",
        ),
        ("(d) import", f"{d['import_s']:.2f} s", f"{d['ratio']:.1f}x json + raw sqlite3"),
    ]
    for name, e in r["e_render_workspace"].items():
        rows.append(
            (
                f"(e) workspace page, tier {name}",
                f"page {e['page_bytes'] / 1e6:.2f} MB, median {e['page']['median_ms']:.0f} ms "
                f"(first view after a change {e['page_cold']['median_ms']:.0f} ms), fragment "
                f"{e['fragment']['median_ms']:.0f} ms",
                f"{e['ratio_median']:.1f}x json.dumps ({e['ratio_cold_median']:.1f}x cold)",
            )
        )
    rows.append(
        (
            f"(f) 25 concurrent users, tier {f['tier']}, 0.5-1.5 s think time",
            f"errors {f['errors']}, analysis p95 {f['analysis_loaded']['p95_ms']:.1f} ms",
            f"{f['ratio_p95']:.1f}x unloaded p95",
        )
    )
    x = r["f_stress_no_think_time"]
    rows.append(
        (
            "(f') the same 25 clients, no think time (stress)",
            f"errors {x['errors']}, analysis p95 {x['analysis_loaded']['p95_ms']:.1f} ms",
            f"{x['ratio_p95']:.1f}x unloaded p95",
        )
    )
    g = r["g_flood"]
    rows.append(
        (
            f"(g) flood: 60 matrix requests abandoned, then 90, tier {g['tier']}",
            f"health p95 {g['health_loaded']['p95_ms']:.1f} ms (max {g['health_max_ms']:.0f} ms), "
            f"server CPU after {g['server_cpu_s_after']:.2f} s",
            f"{g['ratio_p95']:.1f}x unloaded p95 ({g['ratio_median']:.1f}x median)",
        )
    )
    rows += class_rows(r["h_i_class"])
    m = r["matrix_one_port"]
    rows.append(
        (
            f"reachability matrix, tier {r['tiers']['medium']}, TCP 22",
            f"{m['seconds']:.2f} s for {m['pairs']} pairs",
            "",
        )
    )
    q = r.get("q_stress")
    if q:
        rows.append(
            (
                f"stress: exposure report, tier Q ({q['interfaces']} ENIs)",
                f"{q['exposure_s']:.1f} s ({q['exposed_interfaces']} exposed, "
                f"{q['exposures']} port ranges)",
                f"peak {q['peak_memory_mib']:.0f} MiB",
            )
        )
        rows.append(
            (
                "stress: one matrix row, tier Q, TCP 22 and 443",
                f"{q['matrix_row_s']:.2f} s for {q['matrix_row_pairs']} pairs",
                "",
            )
        )
    rows.append(
        (
            "peak memory",
            f"engine process {r['peak_memory_mib']:.0f} MiB, "
            f"server {r['server_peak_memory_mib']:.0f} MiB",
            "",
        )
    )
    width = max(len(x[0]) for x in rows)
    for name, value, ratio in rows:
        print(f"{name:<{width}}  {value:<48}  {ratio}")
    print(f"written to {OUT} in {r['seconds']:.0f} s")


if __name__ == "__main__":
    main()
