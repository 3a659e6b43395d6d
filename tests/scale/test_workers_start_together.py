"""``uvicorn --workers 2`` on a new database: both workers come up. They migrate one at a time
(before, one crashed creating ``alembic_version`` twice: a unique violation on PostgreSQL,
"database is locked" on SQLite)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from tests.scale.servers import fresh_postgres_database, uvicorn


def both_workers_serve(database_url: str, folder: Path) -> None:
    with uvicorn(database_url, folder, workers=2) as server:
        health = httpx.get(f"{server.base}/api/v1/health", timeout=10)
        assert health.status_code == 200
        log = server.log
        assert "Traceback" not in log and "Error" not in log, log
        assert log.count("Application startup complete") == 2, log
        assert len(set(re.findall(r"Started server process \[(\d+)\]", log))) == 2, log


def test_two_workers_start_together_on_a_new_sqlite_file(tmp_path: Path) -> None:
    both_workers_serve(f"sqlite:///{tmp_path / 'new.db'}", tmp_path)


def test_two_workers_start_together_on_a_new_postgresql_database(tmp_path: Path) -> None:
    with fresh_postgres_database() as url:
        both_workers_serve(url, tmp_path)
