"""Migrations bring an empty database to head with no drift; the store caches the engine model
per revision and never half-writes."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import Engine, inspect

from app.db import tables
from app.db.migrate import alembic_config
from app.db.store import Store
from app.engine import AwsError
from app.engine import operations as op


def test_migrations_create_every_table(engine: Engine) -> None:
    names = set(inspect(engine).get_table_names())
    assert {t.name for t in tables.metadata.sorted_tables} <= names
    assert "alembic_version" in names


def test_alembic_check_finds_no_drift_between_models_and_migrations(engine: Engine) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.check(config)  # raises if autogenerate would emit any operation


def test_the_engine_model_is_built_once_per_revision(store: Store) -> None:
    topology = store.create_topology(name="cache", template="seed-002-ssh")
    _, first = store.model(topology["id"])
    _, again = store.model(topology["id"])
    assert again is first
    store.change(topology["id"], lambda t: op.allocate_address(t))
    _, changed = store.model(topology["id"])
    assert changed is not first and len(changed.addresses) == len(first.addresses) + 1


def test_a_cold_store_rebuilds_the_same_model_from_the_rows(engine: Engine) -> None:
    warm = Store(engine)
    topology = warm.create_topology(name="cold", template="seed-001-nat")
    _, cached = warm.model(topology["id"])
    _, rebuilt = Store(engine).model(topology["id"])
    assert rebuilt is not cached
    assert rebuilt.deep_equal(cached)


def test_a_refused_operation_changes_neither_rows_nor_revision(store: Store) -> None:
    topology = store.create_topology(name="atomic", template="seed-002-ssh")
    before = store.export_bundle(topology["id"])

    def half_then_fail(t):  # type: ignore[no-untyped-def]
        op.create_internet_gateway(t)  # would be written...
        op.create_vpc(t, cidr_block="10.0.0.0/8")  # ...but this is refused

    with pytest.raises(AwsError):
        store.change(topology["id"], half_then_fail)
    assert store.get_topology(topology["id"])["revision"] == topology["revision"]
    assert store.export_bundle(topology["id"]) == before
    assert Store(store.engine).export_bundle(topology["id"]) == before
