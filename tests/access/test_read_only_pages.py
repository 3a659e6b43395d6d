"""The pages as an instructor sees a student's lab: everything to read, nothing to change (the
forms are absent, not disabled), whose lab it is, and a way to copy it to their own labs."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.db.store import Store
from tests.accounts.helpers import Classroom

from .http import signed_in_people
from .people import People

HTML = {"Accept": "text/html"}


@pytest.fixture
def signed_in(classroom: Classroom) -> tuple[People, dict[str, TestClient]]:
    return signed_in_people(classroom)


@pytest.fixture
def people(signed_in: tuple[People, dict[str, TestClient]]) -> People:
    return signed_in[0]


@pytest.fixture
def clients(signed_in: tuple[People, dict[str, TestClient]]) -> dict[str, TestClient]:
    return signed_in[1]


@pytest.fixture
def lab(store: Store, people: People) -> dict[str, Any]:
    alice = store.for_actor(people.alice)
    topology = alice.create_topology(name="Alice's SSH lab", template="seed-001-nat")
    _, model = alice.model(topology["id"])
    web = next(i for i in model.instances.values() if i.name == "web-server")
    alice.run_analysis(
        topology["id"],
        {"source": "203.0.113.5", "destination": web.instance_id, "destination_port": 22},
        keep=True,
    )
    return {
        "id": topology["id"],
        "resources": [rid for kind in model.resources.values() for rid in kind],
    }


def change_forms(page: str) -> list[str]:
    """The forms of a page that would change the topology (the copy goes to one's own labs,
    a test that is not saved changes nothing, signing out ends one's own session)."""
    actions = re.findall(r'<form[^>]*action="([^"]+)"', page)
    return [a for a in actions if not a.endswith(("/duplicate", "/test", "/logout"))]


def test_the_instructor_sees_a_students_lab_read_only(
    clients: dict[str, TestClient], lab: dict[str, Any]
) -> None:
    teacher, alice = clients["teacher"], clients["alice"]
    page = teacher.get(f"/topologies/{lab['id']}", headers=HTML)
    assert page.status_code == 200
    assert "Read only: Alice Student's lab" in page.text and "(alice)" in page.text
    assert f'action="/topologies/{lab["id"]}/duplicate"' in page.text
    assert "Copy to my labs" in page.text
    assert change_forms(page.text) == []
    assert "?create=" not in page.text and "Test and save" not in page.text
    assert "Re-run all saved tests" not in page.text and "Saved tests" in page.text
    # Every resource's inspector: its properties, and no form.
    for rid in lab["resources"]:
        part = teacher.get(f"/topologies/{lab['id']}?select={rid}", headers=HTML)
        assert part.status_code == 200 and rid in part.text
        assert change_forms(part.text) == [], rid
    created = teacher.get(f"/topologies/{lab['id']}?create=vpc", headers=HTML)
    assert change_forms(created.text) == []
    # The owner's own page has the forms (what the instructor's lacks is their absence).
    own = alice.get(f"/topologies/{lab['id']}", headers=HTML).text
    assert "Read only" not in own and "Copy to my labs" not in own
    for rid in lab["resources"][:5]:
        mine = alice.get(f"/topologies/{lab['id']}?select={rid}", headers=HTML).text
        assert any("/do/" in a for a in change_forms(mine)), rid


def test_a_test_run_by_the_instructor_is_not_saved(
    clients: dict[str, TestClient], lab: dict[str, Any], store: Store
) -> None:
    teacher = clients["teacher"]
    answer = teacher.post(
        f"/topologies/{lab['id']}/test",
        data={"source": "internet", "destination": lab["resources"][0]},
        headers=HTML,
    )
    assert answer.status_code == 200
    assert len(store.list_analyses(lab["id"])) == 1
    saved = teacher.post(
        f"/topologies/{lab['id']}/test",
        data={"source": "internet", "destination": "10.0.0.1", "save": "1"},
        headers=HTML,
    )
    assert saved.status_code == 403 and "Read only" in saved.text
    assert len(store.list_analyses(lab["id"])) == 1


def test_copy_to_my_labs_from_the_page(
    clients: dict[str, TestClient], lab: dict[str, Any], store: Store, people: People
) -> None:
    before = store.export_bundle(lab["id"])
    copied = clients["teacher"].post(f"/topologies/{lab['id']}/duplicate", follow_redirects=False)
    assert copied.status_code == 303
    new_id = copied.headers["location"].rsplit("/", 1)[1].split("?")[0]
    page = clients["teacher"].get(f"/topologies/{new_id}", headers=HTML).text
    assert "Read only" not in page and "SSH lab (copy)" in page
    assert [t["id"] for t in store.for_actor(people.teacher).list_topologies()] == [new_id]
    assert store.export_bundle(new_id) == before == store.export_bundle(lab["id"])
    assert len(store.list_analyses(new_id)) == 1
    assert clients["alice"].get(f"/topologies/{new_id}", headers=HTML).status_code == 404


def test_the_class_labs_page(
    clients: dict[str, TestClient], lab: dict[str, Any], people: People
) -> None:
    page = clients["teacher"].get(f"/classes/{people.classroom_id}", headers=HTML)
    assert page.status_code == 200
    assert "Students' labs" in page.text and "Alice Student" in page.text
    assert f'href="/topologies/{lab["id"]}"' in page.text
    assert "Bob" not in page.text  # bob is in another class
    for who in ("alice", "bob", "stranger"):
        other = clients[who].get(f"/classes/{people.classroom_id}", headers=HTML)
        assert other.status_code == 404


def test_the_home_page_lists_only_ones_own(
    clients: dict[str, TestClient], lab: dict[str, Any]
) -> None:
    assert lab["id"] in clients["alice"].get("/", headers=HTML).text
    for who in ("bob", "teacher", "stranger"):
        assert lab["id"] not in clients[who].get("/", headers=HTML).text
        assert lab["id"] not in clients[who].get("/api/v1/topologies").text


def test_nobody_signed_in_sees_nothing(clients: dict[str, TestClient], lab: dict[str, Any]) -> None:
    nobody = clients["nobody"]
    assert nobody.get(f"/api/v1/topologies/{lab['id']}").status_code == 401
    assert nobody.get("/api/v1/topologies").status_code == 401
