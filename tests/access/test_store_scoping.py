"""The one access check (``Store._row``), exercised with Actors directly: a student sees and
changes only their own topologies and saved tests; their instructor reads them and cannot
change them; anyone else meets the same 404 as for an id that never existed."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine

from app.db.store import Store
from app.engine import AwsError
from app.engine.operations import create_vpc

from .people import People, make_people


def ssh_request(store: Store, topology_id: str) -> dict[str, Any]:
    _, model = store.model(topology_id)
    instance = next(iter(model.instances))
    return {
        "source": "203.0.113.5",
        "destination": instance,
        "protocol": "tcp",
        "destination_port": 22,
    }


@pytest.fixture
def people(engine: Engine) -> People:
    return make_people(engine)


@pytest.fixture
def alices(store: Store, people: People) -> dict[str, Any]:
    """Alice's lab: the SSH seed with one saved test."""
    mine = store.for_actor(people.alice)
    topology = mine.create_topology(name="alice's lab", template="seed-002-ssh")
    request = ssh_request(mine, topology["id"])
    analysis = mine.run_analysis(topology["id"], request, keep=True)
    return {"id": topology["id"], "analysis": analysis["id"], "request": request}


def refused(call: Any, code: str) -> AwsError:
    with pytest.raises(AwsError) as caught:
        call()
    assert caught.value.code == code, caught.value
    return caught.value


def every_use(
    store: Store, topology_id: str, analysis_id: int, request: dict[str, Any]
) -> dict[str, Any]:
    """Every Store method that takes a topology id, as one call each."""
    return {
        "get_topology": lambda: store.get_topology(topology_id),
        "model": lambda: store.model(topology_id),
        "export_bundle": lambda: store.export_bundle(topology_id),
        "count_resources": lambda: store.count_resources(topology_id),
        "access": lambda: store.access(topology_id),
        "list_analyses": lambda: store.list_analyses(topology_id),
        "get_analysis": lambda: store.get_analysis(topology_id, analysis_id),
        "run_analysis(keep=False)": lambda: store.run_analysis(topology_id, request, keep=False),
        "duplicate_topology": lambda: store.duplicate_topology(topology_id),
        "rename_topology": lambda: store.rename_topology(topology_id, "mine now"),
        "change": lambda: store.change(
            topology_id, lambda t: create_vpc(t, cidr_block="10.9.0.0/16")
        ),
        "import_bundle": lambda: store.import_bundle(
            topology_id, {"Vpcs": [{"VpcId": "vpc-0a0a0a0a0a0a0a0a0", "CidrBlock": "10.8.0.0/16"}]}
        ),
        "run_analysis(keep=True)": lambda: store.run_analysis(topology_id, request, keep=True),
        "rerun_analysis": lambda: store.rerun_analysis(topology_id, analysis_id),
        "delete_analysis": lambda: store.delete_analysis(topology_id, analysis_id),
        "delete_topology": lambda: store.delete_topology(topology_id),
    }


READS = {
    "get_topology",
    "model",
    "export_bundle",
    "count_resources",
    "access",
    "list_analyses",
    "get_analysis",
    "run_analysis(keep=False)",
    "duplicate_topology",
}


def snapshot(store: Store, topology_id: str) -> tuple[Any, ...]:
    return (
        store.get_topology(topology_id),
        store.export_bundle(topology_id),
        [store.get_analysis(topology_id, a["id"]) for a in store.list_analyses(topology_id)],
    )


@pytest.mark.parametrize("who", ["bob", "stranger"])
def test_anyone_else_meets_the_404_of_an_unknown_id(
    store: Store, people: People, alices: dict[str, Any], who: str
) -> None:
    before = snapshot(store, alices["id"])
    other = store.for_actor(getattr(people, who))
    unknown = "0123456789ab"
    for name, call in every_use(other, alices["id"], alices["analysis"], alices["request"]).items():
        error = refused(call, "InvalidTopologyID.NotFound")
        (twin,) = [
            refused(c, "InvalidTopologyID.NotFound")
            for n, c in every_use(other, unknown, alices["analysis"], alices["request"]).items()
            if n == name
        ]
        # The same answer, word for word but the id: nothing says the id exists.
        assert str(error).replace(alices["id"], unknown) == str(twin), name
    assert snapshot(store, alices["id"]) == before
    assert other.list_topologies() == []


def test_the_instructor_reads_and_cannot_change(
    store: Store, people: People, alices: dict[str, Any]
) -> None:
    before = snapshot(store, alices["id"])
    teacher = store.for_actor(people.teacher)
    uses = every_use(teacher, alices["id"], alices["analysis"], alices["request"])
    for name, call in uses.items():
        if name in READS:
            call()
        else:
            error = refused(call, "UnauthorizedOperation")
            assert "copy it to your labs" in str(error).lower(), name
    assert snapshot(store, alices["id"]) == before
    access = teacher.access(alices["id"])
    assert access["writable"] is False and access["owner_name"] == "Alice Student"
    assert store.for_actor(people.alice).access(alices["id"])["writable"] is True


def test_the_owner_does_everything(store: Store, people: People, alices: dict[str, Any]) -> None:
    mine = store.for_actor(people.alice)
    for call in every_use(mine, alices["id"], alices["analysis"], alices["request"]).values():
        call()
    refused(lambda: store.get_topology(alices["id"]), "InvalidTopologyID.NotFound")


def test_a_saved_test_of_someone_else_is_not_found_even_through_ones_own_topology(
    store: Store, people: People, alices: dict[str, Any]
) -> None:
    bob = store.for_actor(people.bob)
    own = bob.create_topology(name="bob's")
    refused(lambda: bob.get_analysis(own["id"], alices["analysis"]), "InvalidAnalysisID.NotFound")
    refused(
        lambda: bob.delete_analysis(own["id"], alices["analysis"]), "InvalidAnalysisID.NotFound"
    )
    assert len(store.list_analyses(alices["id"])) == 1


def test_lists_show_only_ones_own(store: Store, people: People, alices: dict[str, Any]) -> None:
    teacher = store.for_actor(people.teacher)
    own = teacher.create_topology(name="demo")
    assert [t["id"] for t in teacher.list_topologies()] == [own["id"]]
    assert [t["id"] for t in store.for_actor(people.alice).list_topologies()] == [alices["id"]]
    # The server's own view (and personal mode's local owner, who made both) sees everything.
    assert {t["id"] for t in store.list_topologies()} == {own["id"], alices["id"]}


def test_the_topology_quota_counts_per_user(engine: Engine, people: People) -> None:
    store = Store(engine, max_topologies=2)
    alice, bob = store.for_actor(people.alice), store.for_actor(people.bob)
    alice.create_topology(name="one")
    alice.create_topology(name="two")
    refused(lambda: alice.create_topology(name="three"), "TopologyLimitExceeded")
    bob.create_topology(name="one")
    bob.create_topology(name="two")
    refused(lambda: bob.duplicate_topology(bob.list_topologies()[0]["id"]), "TopologyLimitExceeded")


def test_copy_to_my_labs(store: Store, people: People, alices: dict[str, Any]) -> None:
    before = snapshot(store, alices["id"])
    teacher = store.for_actor(people.teacher)
    copy = teacher.duplicate_topology(alices["id"])
    assert copy["id"] != alices["id"] and copy["name"] == "alice's lab (copy)"
    assert teacher.access(copy["id"])["writable"] is True
    assert teacher.export_bundle(copy["id"]) == store.export_bundle(alices["id"])
    [saved] = teacher.list_analyses(copy["id"])
    [original] = store.list_analyses(alices["id"])
    assert saved["request"] == original["request"] and saved["reachable"] is True
    # The copy is the instructor's to change; the student's lab stays as it was, and the
    # student cannot see the copy.
    teacher.change(copy["id"], lambda t: create_vpc(t, cidr_block="10.9.0.0/16"))
    teacher.rerun_analysis(copy["id"], saved["id"])
    assert snapshot(store, alices["id"]) == before
    refused(
        lambda: store.for_actor(people.alice).get_topology(copy["id"]),
        "InvalidTopologyID.NotFound",
    )


def test_class_labs_lists_each_students_topologies_for_their_instructor_only(
    store: Store, people: People, alices: dict[str, Any]
) -> None:
    labs = store.for_actor(people.teacher).class_labs(people.classroom_id)
    assert labs["name"] == "Networks 1"
    assert [(s["login"], [t["id"] for t in s["topologies"]]) for s in labs["students"]] == [
        ("alice", [alices["id"]])
    ]
    for who in (people.stranger, people.alice, people.bob):
        refused(
            lambda who=who: store.for_actor(who).class_labs(people.classroom_id),
            "InvalidClassroomID.NotFound",
        )
