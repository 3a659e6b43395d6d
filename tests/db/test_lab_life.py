"""A lab's life in the store: history and restore, reset, duplicate, saved tests in bundles."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from app.db import history, tables
from app.db.store import Store
from app.engine import AwsError
from app.engine import operations as op

SSH_FROM_HOME = {
    "source": "internet",
    "destination": "",  # filled with the lab's instance
    "protocol": "tcp",
    "destination_port": 22,
}


def seeded(store: Store, template: str = "seed-002-ssh") -> tuple[str, str]:
    """A seed lab and its first instance."""
    topology = store.create_topology(name="lab", template=template)
    _, model = store.model(topology["id"])
    return topology["id"], sorted(model.instances)[0]


def some_changes(store: Store, tid: str) -> None:
    _, model = store.model(tid)
    vpc = sorted(model.vpcs)[0]
    group = sorted(model.security_groups)[0]
    store.change(tid, lambda t: op.create_subnet(t, vpc_id=vpc, cidr_block="192.168.200.0/24"))
    store.change(
        tid,
        lambda t: op.authorize(
            t,
            group_id=group,
            ip_permissions=[
                {
                    "IpProtocol": "tcp",
                    "FromPort": 80,
                    "ToPort": 80,
                    "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                }
            ],
            egress=False,
        ),
    )
    instance = sorted(model.instances)[0]
    store.change(tid, lambda t: op.rename(t, kind="instance", resource_id=instance, name="renamed"))
    store.change(tid, lambda t: op.terminate_instances(t, instance_id=instance))


def rows(engine: Engine, table: Any, tid: str) -> int:
    with Session(engine) as session:
        return session.exec(
            select(func.count()).select_from(table).where(table.topology_id == tid)
        ).one()


# ---- history and restore ---------------------------------------------------------------------
def test_every_change_is_a_revision_named_by_its_action_newest_first(store: Store) -> None:
    tid, _ = seeded(store)
    some_changes(store, tid)
    store.change(tid, lambda t: op.allocate_address(t), what="allocate-eip")
    listed = store.list_revisions(tid)
    numbers = [r["revision"] for r in listed["revisions"]]
    assert numbers == [6, 5, 4, 3, 2, 1] and listed["revision"] == 6
    assert listed["revisions"][0]["action"] == "allocate-eip"
    assert listed["revisions"][0]["changes"]["added"].keys() == {"address"}
    assert listed["revisions"][-1]["action"] == "create"
    assert listed["revisions"][-1]["params"] == {"template": "seed-002-ssh"}
    assert [r["restorable"] for r in listed["revisions"]] == [False] + [True] * 5
    assert listed["revisions"][0]["current"] and listed["kept"] == history.REVISIONS_KEPT


def test_restore_brings_back_exactly_the_old_export_as_a_new_revision(
    store: Store, engine: Engine
) -> None:
    tid, instance = seeded(store)
    store.run_analysis(tid, {**SSH_FROM_HOME, "destination": instance}, keep=True)
    first = store.export_bundle(tid)
    some_changes(store, tid)
    changed = store.export_bundle(tid)
    assert changed != first

    restored = store.restore_revision(tid, 1)

    assert restored["revision"] == 6  # a new revision: history is not rewritten
    assert store.export_bundle(tid) == first
    assert Store(engine).export_bundle(tid) == first  # the rows, not only the cached model
    assert len(store.list_analyses(tid)) == 1  # saved tests are kept
    newest = store.list_revisions(tid)["revisions"][0]
    assert newest["action"] == "restore" and newest["params"] == {"revision": 1}
    # ... and the restore can be undone in turn.
    store.restore_revision(tid, 5)
    assert Store(engine).export_bundle(tid) == changed


def test_restoring_a_revision_older_than_the_kept_ones_is_refused_and_writes_nothing(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history, "REVISIONS_KEPT", 3)
    tid, _ = seeded(store)
    for n in range(5):
        store.change(tid, lambda t, n=n: op.create_internet_gateway(t))
    kept = [r["revision"] for r in store.list_revisions(tid)["revisions"]]
    assert kept == [6, 5, 4]
    before = store.export_bundle(tid)

    with pytest.raises(AwsError) as refused:
        store.restore_revision(tid, 2)

    assert refused.value.code == "InvalidRevision.Expired"
    assert "last 3 revisions" in refused.value.message
    assert "oldest revision you can restore is 3" in refused.value.message
    assert store.get_topology(tid)["revision"] == 6 and store.export_bundle(tid) == before
    store.restore_revision(tid, 3)  # the oldest one kept still restores
    assert len(store.model(tid)[1].internet_gateways) == 2 + 1  # the seed's own, and one


def test_restoring_the_current_or_an_unknown_revision_is_refused(store: Store) -> None:
    tid, _ = seeded(store)
    store.change(tid, lambda t: op.create_internet_gateway(t))
    for revision, code in ((2, "InvalidParameterValue"), (3, "InvalidRevision.NotFound")):
        with pytest.raises(AwsError) as refused:
            store.restore_revision(tid, revision)
        assert refused.value.code == code
    assert store.get_topology(tid)["revision"] == 2


def test_a_small_change_keeps_only_the_rows_it_touched(store: Store, engine: Engine) -> None:
    tid, instance = seeded(store)
    store.change(tid, lambda t: op.rename(t, kind="instance", resource_id=instance, name="x"))
    with Session(engine) as session:
        entry = session.get(tables.TopologyRevision, (tid, 2))
        assert entry is not None
        undo = history.decode(entry.undo)
    assert list(undo) == ["instance"] and list(undo["instance"]) == [instance]
    assert undo["instance"][instance]["name"] != "x"  # the row as it was before
    assert entry.changes["changed"] == {"instance": [instance]}


def test_deleting_a_topology_deletes_its_history(store: Store, engine: Engine) -> None:
    tid, _ = seeded(store)
    store.change(tid, lambda t: op.create_internet_gateway(t))
    store.delete_topology(tid)
    assert rows(engine, tables.TopologyRevision, tid) == 0


# ---- reset -----------------------------------------------------------------------------------
def test_reset_brings_the_template_back_as_a_new_revision_that_can_be_undone(
    store: Store, engine: Engine
) -> None:
    tid, instance = seeded(store)
    store.run_analysis(tid, {**SSH_FROM_HOME, "destination": instance}, keep=True)
    counts = {k: len(v) for k, v in store.model(tid)[1].resources.items()}
    some_changes(store, tid)
    changed = store.export_bundle(tid)

    reset = store.reset_topology(tid)

    assert reset["revision"] == 6 and reset["template"] == "seed-002-ssh"
    model = Store(engine).model(tid)[1]
    assert {k: len(v) for k, v in model.resources.items()} == counts
    assert all(i.state == "running" for i in model.instances.values())
    assert len(store.list_analyses(tid)) == 1
    assert store.list_revisions(tid)["revisions"][0]["action"] == "reset"
    store.restore_revision(tid, 5)
    assert store.export_bundle(tid) == changed


def test_reset_is_refused_for_an_imported_topology_and_writes_nothing(store: Store) -> None:
    source, _ = seeded(store)
    imported = store.create_topology(name="imported")["id"]
    store.import_bundle(imported, store.export_bundle(source))
    assert store.get_topology(imported)["template"] is None
    before = store.export_bundle(imported)

    with pytest.raises(AwsError) as refused:
        store.reset_topology(imported)

    assert refused.value.code == "OperationNotPermitted"
    assert "not created from a template" in refused.value.message
    assert store.get_topology(imported)["revision"] == 2
    assert store.export_bundle(imported) == before


# ---- duplicate -------------------------------------------------------------------------------
def test_duplicate_copies_resources_and_saved_tests_into_a_new_topology(
    store: Store, engine: Engine
) -> None:
    tid, instance = seeded(store)
    store.run_analysis(tid, {**SSH_FROM_HOME, "destination": instance}, keep=True)
    some_changes(store, tid)

    copy = store.duplicate_topology(tid)

    assert copy["id"] != tid and copy["name"] == "lab (copy)" and copy["revision"] == 1
    assert copy["template"] == "seed-002-ssh"
    assert Store(engine).export_bundle(copy["id"]) == store.export_bundle(tid)
    tests = store.list_analyses(copy["id"])
    assert [t["request"] for t in tests] == [t["request"] for t in store.list_analyses(tid)]
    # The copy is its own: changing it leaves the original alone.
    store.change(copy["id"], lambda t: op.create_internet_gateway(t))
    assert len(store.model(copy["id"])[1].internet_gateways) == 2
    assert len(store.model(tid)[1].internet_gateways) == 1
    first = store.list_revisions(copy["id"])["revisions"][-1]
    assert first["action"] == "duplicate" and first["params"]["source_id"] == tid


def test_duplicate_takes_a_name_and_an_owner_and_refuses_a_bad_name(
    store: Store, engine: Engine
) -> None:
    tid, _ = seeded(store)
    copy = store.duplicate_topology(tid, name="  week 2  ")
    assert copy["name"] == "week 2"
    with Session(engine) as session:
        assert session.get(tables.Topology, copy["id"]).owner_id == 1  # type: ignore[union-attr]
    with pytest.raises(AwsError):
        store.duplicate_topology(tid, name=" ")
    assert len(store.list_topologies()) == 2


def test_duplicate_counts_against_the_topology_quota(engine: Engine) -> None:
    store = Store(engine, max_topologies=1)
    tid, _ = seeded(store)
    with pytest.raises(AwsError) as refused:
        store.duplicate_topology(tid)
    assert refused.value.code == "TopologyLimitExceeded"


# ---- saved tests in export and import --------------------------------------------------------
def test_export_then_import_into_a_new_topology_keeps_resources_and_saved_tests(
    store: Store,
) -> None:
    tid, instance = seeded(store)
    requests = [
        {**SSH_FROM_HOME, "destination": instance},
        {"source": instance, "destination": "internet", "protocol": "tcp", "destination_port": 443},
    ]
    for request in requests:
        store.run_analysis(tid, request, keep=True)
    bundle = store.export_bundle(tid)
    assert bundle["VpcLabSavedTests"] == requests  # the requests, not their results

    new = store.create_topology(name="imported")["id"]
    counts = store.import_bundle(new, bundle)

    assert counts["VpcLabSavedTests"] == 2
    assert store.export_bundle(new) == bundle
    imported = store.list_analyses(new)
    assert [a["request"] for a in imported] == requests
    originals = store.list_analyses(tid)
    assert [a["reachable"] for a in imported] == [a["reachable"] for a in originals]
    assert all(a["revision"] == 2 for a in imported)  # run on the imported topology


@pytest.mark.parametrize(
    ("tests", "says"),
    [
        ("not a list", "VpcLabSavedTests must be a list"),
        ([{"source": "internet"}], "VpcLabSavedTests[0]: the test has no destination"),
        ([{}, 5], "VpcLabSavedTests[0]"),
        (
            [{"source": "internet", "destination": "i-0000000000000000f", "protocol": "tcp"}],
            "VpcLabSavedTests[0]: ",
        ),
        (
            [
                {"source": "internet", "destination": "internet"},
                {"source": "internet", "destination": "x", "destination_port": "22"},
            ],
            "VpcLabSavedTests[1]: destination_port must be a whole number",
        ),
        ([{"source": "internet", "destination": "x", "colour": 1}], "'colour' is not a field"),
    ],
)
def test_an_import_with_a_bad_saved_test_is_refused_naming_it_and_writes_nothing(
    store: Store, engine: Engine, tests: Any, says: str
) -> None:
    source, _ = seeded(store)
    bundle = {**store.export_bundle(source), "VpcLabSavedTests": tests}
    new = store.create_topology(name="target")["id"]

    with pytest.raises(AwsError) as refused:
        store.import_bundle(new, bundle)

    assert says in refused.value.message and refused.value.code == "InvalidParameterValue"
    assert store.get_topology(new)["revision"] == 1
    assert store.get_topology(new)["template"] == "blank"
    assert store.count_resources(new) == 0
    assert store.list_analyses(new) == []
    assert rows(engine, tables.TopologyRevision, new) == 1
