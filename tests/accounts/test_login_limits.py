"""Guessing passwords is slowed per account and per client address; a class signing in together
from one school address is not."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.accounts import passwords
from app.db.store import Store
from app.main import create_app
from tests.accounts.helpers import PASSWORD, Classroom, classroom_settings, csrf_token_of, with_csrf


def room(store: Store, database_url: str, **limits: int) -> Classroom:
    app = create_app(classroom_settings(database_url, **limits), store=store)
    return Classroom(app, store, with_csrf(TestClient(app)))


def attempt(client: TestClient, login: str, password: str) -> object:
    token = csrf_token_of(client.get("/login").text)
    return client.post(
        "/login",
        data={"login": login, "password": password, "csrf_token": token},
        follow_redirects=False,
    )


def test_failed_sign_ins_are_limited_per_account(store: Store, database_url: str) -> None:
    classroom = room(
        store,
        database_url,
        login_failures_per_account_per_minute=3,
        login_failures_per_address_per_minute=100,
    )
    classroom.add_user("alice")
    browser = classroom.client()
    for _ in range(3):
        assert attempt(browser, "alice", "guess").status_code == 400
    refused = attempt(browser, "alice", PASSWORD)  # even the right password, for now
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert "Too many failed sign-ins" in refused.text
    assert "ask your instructor to reset it" in refused.text
    # Another account from the same address is not locked by alice's failures.
    classroom.add_user("bob")
    assert attempt(browser, "bob", PASSWORD).status_code == 303


def test_an_unknown_login_is_limited_like_a_known_one(store: Store, database_url: str) -> None:
    classroom = room(
        store,
        database_url,
        login_failures_per_account_per_minute=2,
        login_failures_per_address_per_minute=100,
    )
    classroom.add_user("alice")
    for login in ("alice", "nobody"):
        browser = classroom.client()
        answers = [attempt(browser, login, "guess").status_code for _ in range(3)]
        assert answers == [400, 400, 429], login


def test_failed_sign_ins_are_limited_per_address(store: Store, database_url: str) -> None:
    classroom = room(
        store,
        database_url,
        login_failures_per_account_per_minute=100,
        login_failures_per_address_per_minute=4,
    )
    for n in range(5):
        classroom.add_user(f"s{n}")
    browser = classroom.client()
    statuses = [attempt(browser, f"s{n}", "guess").status_code for n in range(5)]
    assert statuses == [400, 400, 400, 400, 429]


def test_successful_sign_ins_are_not_counted(store: Store, database_url: str) -> None:
    classroom = room(
        store,
        database_url,
        login_failures_per_account_per_minute=2,
        login_failures_per_address_per_minute=2,
    )
    for n in range(6):
        classroom.add_user(f"s{n}")
    # Six students from one address (every test client is "testclient").
    assert all(attempt(classroom.client(), f"s{n}", PASSWORD).status_code == 303 for n in range(6))


def test_an_unknown_login_does_the_same_work_as_a_wrong_password(
    classroom: Classroom, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No account enumeration by timing: an unknown login verifies one Argon2id hash (a dummy),
    as a wrong password does. Counted, not timed: a loaded machine makes timings lie."""
    classroom.add_user("alice")
    browser = classroom.client()
    token = csrf_token_of(browser.get("/login").text)
    verified: list[str] = []
    real = passwords.HASHER

    class Counting:
        def verify(self, stored: str, password: str) -> bool:
            verified.append(stored)
            return real.verify(stored, password)

        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

    monkeypatch.setattr(passwords, "HASHER", Counting())

    def answer(login: str) -> tuple[int, str]:
        page = browser.post(
            "/login", data={"login": login, "password": "guess", "csrf_token": token}
        )
        return page.status_code, page.text.replace(login, "LOGIN")

    known = answer("alice")
    assert len(verified) == 1 and verified[0].startswith("$argon2id$")
    unknown = answer("nobody")
    assert len(verified) == 2 and verified[1].startswith("$argon2id$")
    assert known[0] == unknown[0]
