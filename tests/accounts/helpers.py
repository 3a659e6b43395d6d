"""Classroom mode in tests: an app whose users sign in, accounts made directly in the database,
and clients signed in as them (``sign_in``), each with its own cookies.

    def test_x(classroom):                       # the fixture in tests/conftest.py
        classroom.add_user("alice")              # a student, password PASSWORD
        alice = classroom.signed_in("alice")     # a TestClient with alice's session cookie
        anonymous = classroom.client()           # nobody signed in
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.store import Accounts
from app.config import Settings
from app.db import tables
from app.db.store import Store

PASSWORD = "correct horse battery"
TEST_SECRET_KEY = "test-secret-key-for-csrf-tokens-0123456789"


def classroom_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "mode": "classroom",
        "auto_migrate": False,
        "max_body_bytes": 2 * 1024 * 1024,
        "analyses_per_minute": 0,
        "whole_network_per_minute": 0,
        "imports_per_minute": 0,
        "allowed_hosts": ["testserver"],
        "secret_key": TEST_SECRET_KEY,
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


def csrf_token_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def with_csrf(client: TestClient) -> TestClient:
    """Like a browser that opened the sign-in page: the CSRF cookie, and its token on every
    change (as htmx sends it)."""
    client.headers["X-CSRF-Token"] = csrf_token_of(client.get("/login").text)
    return client


def sign_in(client: TestClient, login: str, password: str = PASSWORD, next: str = "/") -> None:
    """Signs ``client`` in through the login form (asserts it worked)."""
    page = client.get("/login")
    token = csrf_token_of(page.text) if page.status_code == 200 else client.headers["X-CSRF-Token"]
    answer = client.post(
        "/login",
        data={"login": login, "password": password, "next": next, "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    # A new session comes with a new CSRF secret: take the token of the next page.
    client.headers["X-CSRF-Token"] = csrf_token_of(client.get("/login", follow_redirects=True).text)


@dataclass
class Classroom:
    """A classroom-mode app over the test database."""

    app: FastAPI
    store: Store
    first: TestClient
    clients: list[TestClient] = field(default_factory=list)

    @property
    def accounts(self) -> Accounts:
        return Accounts(self.store.engine)

    def add_user(
        self,
        login: str,
        role: str = "student",
        *,
        password: str = PASSWORD,
        display_name: str = "",
        classroom_id: int | None = None,
        must_change_password: bool = False,
    ) -> int:
        """A new account (id returned), in ``classroom_id``'s class when given."""
        made = self.accounts.create(
            login,
            role=role,
            display_name=display_name,
            password=password,
            must_change_password=must_change_password,
        )
        if classroom_id is not None:
            self.join(classroom_id, made.id)
        return made.id

    def add_class(self, instructor_id: int, name: str = "Networking 101") -> int:
        with Session(self.store.engine) as session:
            row = tables.Classroom(name=name, instructor_id=instructor_id)
            session.add(row)
            session.commit()
            assert row.id is not None
            return row.id

    def join(self, classroom_id: int, account_id: int) -> None:
        with Session(self.store.engine) as session:
            session.add(tables.Membership(classroom_id=classroom_id, account_id=account_id))
            session.commit()

    def client(self) -> TestClient:
        """A new browser: nobody signed in, its own cookies, the CSRF token set."""
        client = TestClient(self.app, raise_server_exceptions=False)
        self.clients.append(client)
        return with_csrf(client)

    def signed_in(self, login: str, password: str = PASSWORD) -> TestClient:
        client = self.client()
        sign_in(client, login, password)
        return client
