"""Real uvicorn processes for the scale-out tests: ``uvicorn app.main:app`` as an instructor
would start it, on a database of the test's own (a fresh SQLite file, or a PostgreSQL database
``scale_<random>`` created for the test and dropped after it)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.server import free_port

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_URL = os.environ.get("VPCLAB_TEST_DATABASE_URL")


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database (never the shared test one), dropped after."""
    if not POSTGRES_URL:
        pytest.skip("needs PostgreSQL: set VPCLAB_TEST_DATABASE_URL")
    url = make_url(POSTGRES_URL)
    name = f"scale_{secrets.token_hex(4)}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class Uvicorn:
    """``uvicorn app.main:app`` in a process of its own; its log is kept in a file."""

    def __init__(self, database_url: str, folder: Path, *, workers: int = 1, **env: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / f"uvicorn-{self.port}.log"
        environment = {
            **os.environ,
            "VPCLAB_DATABASE_URL": database_url,
            "VPCLAB_SECRET_KEY_FILE": str(folder / "vpclab-secret.key"),
            **env,
        }
        environment.pop("VPCLAB_SECRET_KEY", None)
        self._log = self.log_path.open("w")
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
                "--workers",
                str(workers),
            ],
            cwd=ROOT,
            env=environment,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    @property
    def log(self) -> str:
        return self.log_path.read_text()

    def wait_started(self, workers: int = 1, seconds: float = 60) -> None:
        """Until ``workers`` processes said their startup is complete and /health answers."""
        deadline = time.monotonic() + seconds
        while self.log.count("Application startup complete") < workers:
            assert self.process.poll() is None, f"uvicorn exited:\n{self.log}"
            assert time.monotonic() < deadline, f"uvicorn did not start:\n{self.log}"
            time.sleep(0.1)
        while True:
            try:
                httpx.get(f"{self.base}/api/v1/health", timeout=5).raise_for_status()
                return
            except httpx.HTTPError:
                assert time.monotonic() < deadline, f"/health does not answer:\n{self.log}"
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


@contextmanager
def uvicorn(database_url: str, folder: Path, *, workers: int = 1, **env: str) -> Iterator[Uvicorn]:
    server = Uvicorn(database_url, folder, workers=workers, **env)
    try:
        server.wait_started(workers)
        yield server
    finally:
        server.stop()
