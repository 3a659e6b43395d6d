"""Migrations bring an empty database to head with no drift; the store caches the engine model
per revision and never half-writes."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text

from app.db import store as store_module
from app.db import tables
from app.db.migrate import alembic_config, upgrade
from app.db.session import make_engine
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


def test_many_requests_for_a_new_revision_build_its_model_once(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Concurrent readers of a freshly changed topology wait for one build (a large one is
    seconds of CPU) instead of each building their own."""
    topology = Store(engine).create_topology(name="busy", template="seed-001-nat")
    cold = Store(engine)  # a new process: nothing cached
    builds = []
    real = store_module.import_bundle

    def slow_build(*args: Any, **kwargs: Any) -> Any:
        builds.append(threading.get_ident())
        time.sleep(0.3)  # long enough for every reader to arrive while it runs
        return real(*args, **kwargs)

    monkeypatch.setattr(store_module, "import_bundle", slow_build)
    readers = 8
    start = threading.Barrier(readers)

    def read(_: int) -> object:
        start.wait()
        return cold.model(topology["id"])[1]

    with ThreadPoolExecutor(readers) as pool:
        models = list(pool.map(read, range(readers)))
    assert len(builds) == 1
    assert all(m is models[0] for m in models)


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


def test_upgrading_a_database_from_before_dhcp_options_keeps_every_vpc_whole(
    tmp_path: Path,
) -> None:
    """Revision 0002: VPCs written before DHCP options sets existed said "default"; they get
    the region's default set, as AWS gives every VPC, and the topology still loads."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    old_vpc = {
        "VpcId": "vpc-0aaaaaaaaaaaaaaaa",
        "CidrBlock": "10.0.0.0/16",
        "DhcpOptionsId": "default",
        "Tags": [],
    }
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO topology (id, name, region, revision, created_at, updated_at) "
                "VALUES ('t1', 'old', 'us-east-1', 3, '2026-11-30', '2026-11-30')"
            )
        )
        connection.execute(
            text("INSERT INTO vpc (topology_id, resource_id, document) VALUES ('t1', :r, :d)"),
            {"r": old_vpc["VpcId"], "d": json.dumps(old_vpc)},
        )
    upgrade(engine)
    _, model = Store(engine).model("t1")
    vpc = model.vpcs["vpc-0aaaaaaaaaaaaaaaa"]
    assert vpc.dhcp_options_id in model.dhcp_options
    options = model.dhcp_options[vpc.dhcp_options_id]
    assert options.domain_name == "ec2.internal"
    assert options.values("domain-name-servers") == ("AmazonProvidedDNS",)
    engine.dispose()
