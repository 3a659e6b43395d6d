"""20 concurrent clients creating resources in one topology, through a real uvicorn server:
every acknowledged write is there afterwards, no "database is locked", no 5xx."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import uvicorn

from app.config import Settings
from app.db.store import Store
from app.main import create_app

CLIENTS = 20
WRITES_PER_CLIENT = 5


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(store: Store, database_url: str) -> Iterator[str]:
    settings = Settings(database_url=database_url, auto_migrate=False)
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, store=store),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
    )
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=20)


def test_concurrent_writers_lose_nothing(server: str) -> None:
    api = f"{server}/api/v1"
    with httpx.Client(timeout=60) as setup:
        topology = setup.post(f"{api}/topologies", json={"name": "busy class"}).json()["id"]
        vpc = setup.post(
            f"{api}/topologies/{topology}/vpcs", json={"CidrBlock": "10.0.0.0/16"}
        ).json()["VpcId"]

    def learner(number: int) -> list[tuple[int, str, str | None]]:
        outcomes = []
        with httpx.Client(timeout=60) as http:
            for write in range(WRITES_PER_CLIENT):
                # Each learner adds its own security group (distinct names: no conflicts).
                response = http.post(
                    f"{api}/topologies/{topology}/security-groups",
                    json={
                        "GroupName": f"learner-{number}-{write}",
                        "Description": "x",
                        "VpcId": vpc,
                    },
                )
                group = response.json().get("GroupId") if response.status_code == 201 else None
                outcomes.append((response.status_code, response.text, group))
        return outcomes

    with ThreadPoolExecutor(CLIENTS) as pool:
        results = [o for batch in pool.map(learner, range(CLIENTS)) for o in batch]

    statuses = [status for status, _, _ in results]
    assert all(status == 201 for status in statuses), [r for r in results if r[0] != 201][:3]
    assert not any("locked" in text for _, text, _ in results)
    acknowledged = {group for _, _, group in results if group}
    with httpx.Client(timeout=60) as check:
        stored = check.get(f"{api}/topologies/{topology}/security-groups").json()
        revision = check.get(f"{api}/topologies/{topology}").json()["revision"]
    present = {g["GroupId"] for g in stored["SecurityGroups"]}
    assert acknowledged <= present
    assert len(acknowledged) == CLIENTS * WRITES_PER_CLIENT
    assert revision == 2 + CLIENTS * WRITES_PER_CLIENT  # created, VPC, then every write
