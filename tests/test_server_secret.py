"""The server secret: the configured one, else one generated at first start and kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import Settings
from app.server_secret import server_secret


def test_a_secret_is_generated_once_kept_private_and_reused(tmp_path: Path) -> None:
    settings = Settings(secret_key_file=str(tmp_path / "vpclab-secret.key"))
    first = server_secret(settings)
    assert len(first) >= 32 and server_secret(settings) == first
    assert (tmp_path / "vpclab-secret.key").stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["vpclab-secret.key"]  # no draft left over


def test_a_configured_secret_wins_and_writes_no_file(tmp_path: Path) -> None:
    settings = Settings(secret_key="x" * 40, secret_key_file=str(tmp_path / "key"))
    assert server_secret(settings) == b"x" * 40
    assert not (tmp_path / "key").exists()


def test_allowed_hosts_are_read_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VPCLAB_ALLOWED_HOSTS", "lab.example.edu, 10.0.0.5,")
    assert Settings().allowed_hosts == ["lab.example.edu", "10.0.0.5"]
