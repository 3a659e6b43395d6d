"""The first instructor of a new classroom server comes from the command line."""

from __future__ import annotations

import pytest

from app.accounts.__main__ import main
from app.accounts.store import Accounts
from app.config import get_settings
from app.db.store import Store


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("VPCLAB_DATABASE_URL", database_url)
    monkeypatch.setenv("VPCLAB_AUTO_MIGRATE", "false")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_create_instructor_prints_a_first_password_once(
    env: None, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["create-instructor", "Tanaka", "--name", "田中先生"]) == 0
    out = capsys.readouterr().out
    password = out.strip().splitlines()[-1]
    account = Accounts(store.engine).authenticate("tanaka", password)
    assert account is not None
    assert account.role == "instructor" and account.must_change_password
    assert account.display_name == "田中先生"
    assert password not in (account.password_hash or "")


def test_create_instructor_refuses_a_taken_login(
    env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["create-instructor", "tanaka"]) == 0
    assert main(["create-instructor", "tanaka"]) == 2
    assert "taken" in capsys.readouterr().err


def test_reset_password(env: None, store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    main(["create-instructor", "tanaka"])
    capsys.readouterr()
    assert main(["reset-password", "tanaka"]) == 0
    password = capsys.readouterr().out.strip().splitlines()[-1]
    assert Accounts(store.engine).authenticate("tanaka", password) is not None
    assert main(["reset-password", "local"]) == 1  # the local owner never signs in
