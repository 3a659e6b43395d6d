"""Bring a database to the newest Alembic revision (run at startup unless turned off)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine

ROOT = Path(__file__).resolve().parents[2]


def alembic_config() -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return config


def upgrade(engine: Engine) -> None:
    config = alembic_config()
    with engine.connect() as connection, foreign_keys_off(connection), connection.begin():
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@contextmanager
def foreign_keys_off(connection: Connection) -> Iterator[None]:
    """SQLite only: foreign keys off while migrating. Alembic's batch mode rebuilds a table by
    copying it and dropping the original, and with foreign keys on, that drop deletes every row
    that references the table (``ON DELETE CASCADE``). The check afterwards refuses a migration
    that left a dangling reference (https://www.sqlite.org/lang_altertable.html, "Making Other
    Kinds Of Table Schema Changes", steps 1 and 10). The pragma is a no-op inside a transaction,
    hence outside it."""
    if connection.dialect.name != "sqlite":
        yield
        return
    # On the driver's connection: SQLAlchemy's would begin a transaction first.
    sqlite = connection.connection.driver_connection
    assert sqlite is not None  # open, so never None (SQLAlchemy 2.1 types it optional)
    sqlite.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
        dangling = sqlite.execute("PRAGMA foreign_key_check").fetchall()
        if dangling:
            raise RuntimeError(f"The migration left references to missing rows: {dangling[:5]}")
    finally:
        sqlite.execute("PRAGMA foreign_keys=ON")
