"""Shared fixtures: a fresh, migrated database per test (SQLite, or PostgreSQL when
``VPCLAB_TEST_DATABASE_URL`` is set) and a test client for the whole application."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from app.config import Settings
from app.db import tables
from app.db.migrate import upgrade
from app.db.session import make_engine
from app.db.store import Store
from app.main import create_app
from tests.accounts.helpers import Classroom, classroom_settings, with_csrf

POSTGRES_URL = os.environ.get("VPCLAB_TEST_DATABASE_URL")
TEST_SECRET_KEY = "test-secret-key-for-csrf-tokens-0123456789"


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database to start every test from."""
    if POSTGRES_URL:
        engine = make_engine(POSTGRES_URL)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        upgrade(engine)
        engine.dispose()
        return POSTGRES_URL
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return str(path)


@pytest.fixture
def database_url(migrated_template: str, tmp_path: Path) -> str:
    if POSTGRES_URL:
        engine = make_engine(POSTGRES_URL)
        with engine.begin() as conn:
            names = ", ".join(t.name for t in tables.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            # What migration 0003 creates: the local owner of personal mode.
            conn.execute(
                text(
                    "INSERT INTO account (id, login, display_name, role, must_change_password,"
                    " created_at) VALUES (1, 'local', '', 'owner', false, now())"
                )
            )
            conn.execute(text("SELECT setval(pg_get_serial_sequence('account', 'id'), 1)"))
        engine.dispose()
        return POSTGRES_URL
    target = tmp_path / "vpclab.db"
    shutil.copy(migrated_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def store(engine: Engine) -> Store:
    return Store(engine)


@pytest.fixture
def client(store: Store, database_url: str) -> Iterator[TestClient]:
    # Rate limits off: the suite sends far more imports and analyses a minute than a person
    # would; tests/api/test_fair_use.py checks the limits with clients of their own.
    settings = Settings(
        database_url=database_url,
        auto_migrate=False,
        max_body_bytes=2 * 1024 * 1024,
        analyses_per_minute=0,
        whole_network_per_minute=0,
        imports_per_minute=0,
        allowed_hosts=["testserver"],
        secret_key=TEST_SECRET_KEY,
    )
    with TestClient(create_app(settings, store=store), raise_server_exceptions=False) as c:
        # Like a browser: the first page sets the CSRF cookie, and its token goes with every
        # change (as htmx sends it). tests/web/test_csrf.py covers requests without it.
        c.headers["X-CSRF-Token"] = csrf_token_of(c.get("/").text)
        yield c


def csrf_token_of(page: str) -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


@pytest.fixture
def classroom(store: Store, database_url: str) -> Iterator[Classroom]:
    """Classroom mode: users sign in (tests/accounts/helpers.py: add_user, signed_in, client)."""
    app = create_app(classroom_settings(database_url), store=store)
    with TestClient(app, raise_server_exceptions=False) as first:
        room = Classroom(app, store, with_csrf(first))
        yield room
        for extra in room.clients:
            extra.close()


@pytest.fixture
def classroom_client(classroom: Classroom) -> TestClient:
    """A browser on a classroom-mode app, nobody signed in yet (``sign_in(client, login)``)."""
    return classroom.first
