"""An assignment made from an instructor's own topology (issue 13, item 4): the instructor
chooses flow and state checks in a form; each student starts from a copy of that network and
follows a one-step lab made from the checks; the grade is the share of them passing."""

from __future__ import annotations

import html
import re
from typing import Any

from fastapi.testclient import TestClient

from tests.accounts.helpers import Classroom
from tests.api.lab import Lab as ApiLab

from .test_assignments import api_of, board_rows, counts, csv_rows, people, start

SSH_REACHES = {
    "flow-0-from": "internet",
    "flow-0-to": "instance:192.168.1.4",
    "flow-0-protocol": "tcp",
    "flow-0-port": "22",
    "flow-0-expect": "reaches",
}
PING_BLOCKED = {
    "flow-1-from": "internet",
    "flow-1-to": "instance:192.168.1.4",
    "flow-1-protocol": "icmp",
    "flow-1-expect": "blocked",
}


def make(
    teacher: TestClient, class_id: int, topology_id: str, *, status: int = 303, **fields: str
) -> Any:
    form = {
        "topology_id": topology_id,
        "title": "Week 4 — keep SSH, no ping",
        "text": "Students: SSH must reach the web server; ping must not.",
        "opens_at": "",
        "due_at": "",
    } | fields
    answer = teacher.post(
        f"/classes/{class_id}/assignments/custom", data=form, follow_redirects=False
    )
    assert answer.status_code == status, answer.text
    if status != 303:
        return answer
    found = re.fullmatch(rf"/classes/{class_id}/assignments/(\d+)", answer.headers["location"])
    assert found, answer.headers["location"]
    return int(found.group(1))


def allow_ping(student: TestClient, topology_id: str) -> None:
    api = api_of(student, topology_id)
    [group] = [g for g in api.items("security-groups", "SecurityGroups") if g["GroupName"] == "ssh"]
    permission = {"IpProtocol": "icmp", "FromPort": -1, "ToPort": -1}
    body = {"IpPermissions": [permission | {"IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}
    api.ok("POST", f"security-groups/{group['GroupId']}/authorize-ingress", body)


def test_an_assignment_made_from_the_instructors_topology_grades_each_student(
    classroom: Classroom,
) -> None:
    class_id, teacher = people(classroom)
    network = ApiLab(teacher, template="seed-002-ssh", name="Seed 002 as I built it")
    # The class page offers the instructor's own topologies; the form, that network's instances.
    assert "Seed 002 as I built it" in teacher.get(f"/classes/{class_id}").text
    form = teacher.get(f"/classes/{class_id}/assignments/new", params={"topology_id": network.id})
    assert form.status_code == 200
    assert 'value="instance:192.168.1.4"' in form.text and "myinstance-0001" in form.text

    assignment = make(teacher, class_id, network.id, **SSH_REACHES, **PING_BLOCKED)
    # The students start from the network as it was then, whatever the instructor does after.
    network.ok("DELETE", "", status=204)

    aoki, baba = classroom.signed_in("aoki"), classroom.signed_in("baba")
    aoki_copy, baba_copy = start(aoki, assignment), start(baba, assignment)
    assert aoki_copy != baba_copy and network.id not in (aoki_copy, baba_copy)
    lab = aoki.get(f"/api/v1/topologies/{aoki_copy}/lab").json()
    assert lab["lab"]["id"] == f"assignment-{assignment}"
    assert [c["passed"] for c in lab["checks"]] == [True, True]
    page = aoki.get(f"/topologies/{aoki_copy}").text
    assert "Students: SSH must reach the web server; ping must not." in page
    assert "TCP 22 from the internet reaches the instance at 192.168.1.4" in page
    # A copy has no template to reset to (its revision 1 is the start, to restore).
    reset = aoki.post(f"/api/v1/topologies/{aoki_copy}/reset")
    assert reset.status_code == 409 and "copied from an instructor's network" in reset.text
    history = aoki.get(f"/topologies/{aoki_copy}/history").text
    assert "Started an assignment: a copy of the instructor&#39;s network" in history

    # The seed network already lets SSH in and keeps ping out: untouched, it is 100%.
    # Baba opens ping: the forbidden flow now reaches, and the grade falls to half.
    allow_ping(baba, baba_copy)
    lab = baba.get(f"/api/v1/topologies/{baba_copy}/lab").json()
    assert [c["passed"] for c in lab["checks"]] == [True, False]

    # All pass: Aoki may go on, and the lab is complete.
    assert aoki.post(f"/api/v1/topologies/{aoki_copy}/lab/next").status_code == 200
    dashboard = teacher.get(f"/classes/{class_id}/assignments/{assignment}").text
    assert "From your topology (2 checks)" in dashboard
    assert "Students: SSH must reach the web server; ping must not." in dashboard
    board = board_rows(dashboard)
    assert board["aoki"] | {"at_due": ""} == {
        "pass": 2,
        "fail": 0,
        "not_started": 0,
        "now": "100%",
        "at_due": "",
    }
    assert (board["baba"]["pass"], board["baba"]["fail"], board["baba"]["now"]) == (1, 1, "50%")
    assert board["chiba"]["not_started"] == 2 and board["chiba"]["now"] == "0%"
    rows = csv_rows(teacher, class_id, assignment)
    assert rows["aoki"][1] == "100" and rows["baba"][1] == "50" and rows["chiba"][1] == "0"
    assert (rows["aoki"][3], rows["baba"][3]) == ("1", "0")  # the one step done, or not yet


def test_a_malformed_check_is_refused_and_nothing_is_written(classroom: Classroom) -> None:
    class_id, teacher = people(classroom)
    network = ApiLab(teacher, template="seed-002-ssh", name="mine")
    before = counts(classroom)
    port_zero = make(
        teacher, class_id, network.id, status=400, **(SSH_REACHES | {"flow-0-port": "0"})
    )
    assert "InvalidParameterValue" in port_zero.text
    assert "Check 1 is refused" in html.unescape(port_zero.text)
    assert "1 to 65535" in port_zero.text
    # What was typed stays in the form.
    assert 'value="Week 4 — keep SSH, no ping"' in port_zero.text
    unknown = make(
        teacher, class_id, network.id, status=400, **SSH_REACHES, **{"state-teleporter": "1"}
    )
    assert "unknown resource kind" in html.unescape(unknown.text)
    nothing = make(teacher, class_id, network.id, status=400)
    assert "at least one check" in html.unescape(nothing.text)
    assert counts(classroom) == before


def test_another_instructors_topology_is_not_found(classroom: Classroom) -> None:
    class_id, teacher = people(classroom)
    classroom.add_user("sato", "instructor")
    sato = classroom.signed_in("sato")
    theirs = ApiLab(sato, template="seed-002-ssh", name="Sato's")
    # A student's topology, which the instructor may read, is not theirs to give either.
    aoki = classroom.signed_in("aoki")
    students = ApiLab(aoki, template="seed-002-ssh", name="Aoki's")
    before = counts(classroom)
    for topology_id in (theirs.id, students.id, "nosuchtopology"):
        assert make(teacher, class_id, topology_id, status=404, **SSH_REACHES).status_code == 404
        form = teacher.get(
            f"/classes/{class_id}/assignments/new", params={"topology_id": topology_id}
        )
        assert form.status_code == 404 and "Aoki's" not in form.text
    assert counts(classroom) == before


def test_the_form_the_dashboard_and_the_students_lab_are_japanese_for_a_japanese_reader(
    classroom: Classroom,
) -> None:
    from tests.web.test_no_english_left_in_japanese import english_words

    class_id, teacher = people(classroom)
    network = ApiLab(teacher, template="seed-002-ssh", name="第4週のネットワーク")
    ja = {"Accept-Language": "ja"}
    assignment = make(
        teacher,
        class_id,
        network.id,
        title="第4週",
        text="SSH は通し、ping は通さない。",
        **SSH_REACHES,
        **PING_BLOCKED,
        **{"state-eip-associated": "1"},
    )
    aoki = classroom.signed_in("aoki")
    topology = start(aoki, assignment)
    typed = {
        "Aoki",
        "Baba",
        "Chiba",
        "aoki",
        "baba",
        "chiba",
        "Networking",
        "SSH",
        "ping",
        "any",
    }  # "any": the keyword typed
    pages = {
        "form": teacher.get(
            f"/classes/{class_id}/assignments/new", params={"topology_id": network.id}, headers=ja
        ),
        "refused": teacher.post(
            f"/classes/{class_id}/assignments/custom",
            data={"topology_id": network.id, "title": "x"},
            headers=ja,
        ),
        "dashboard": teacher.get(f"/classes/{class_id}/assignments/{assignment}", headers=ja),
    }
    pages["student's lab"] = aoki.get(f"/topologies/{topology}", headers=ja)
    typed |= {"myvpc", "mygateway", "ssh", "default"}  # the seed network's names
    for name, page in pages.items():
        assert page.status_code in (200, 400), name
        assert not english_words(page.text, typed), (name, english_words(page.text, typed))
    assert "課題にはチェックが 1 つ以上必要です" in pages["refused"].text
    lab = aoki.get(f"/topologies/{topology}", headers=ja).text
    assert "インターネット から 192.168.1.4 のインスタンス へ TCP 22 が届く" in lab
    assert "Elastic IP が関連付けられている" in lab


def test_over_the_api_a_refused_spec_writes_nothing(classroom: Classroom) -> None:
    class_id, teacher = people(classroom)
    network = ApiLab(teacher, template="seed-002-ssh", name="mine")
    url = f"/api/v1/classes/{class_id}/assignments/custom"
    ssh = {
        "flow": {
            "from": "internet",
            "to": {"instance": {"private_ip": "192.168.1.4"}},
            "protocol": "tcp",
            "port": 22,
            "expect": "reaches",
        }
    }
    body = {"topology_id": network.id, "title": "API-made", "checks": [ssh]}
    before = counts(classroom)
    for bad in ({"state": {"teleporter": {}}}, {"flow": ssh["flow"] | {"port": 0}}):
        refused = teacher.post(url, json=body | {"checks": [ssh, bad]})
        assert refused.status_code == 400, refused.text
        error = refused.json()["error"]
        assert error["code"] == "InvalidParameterValue" and "Check 2" in error["message"]
    assert counts(classroom) == before
    made = teacher.post(url, json=body)
    assert made.status_code == 201, made.text
    assert made.json()["lab_id"] == f"assignment-{made.json()['id']}"
    assert made.json()["lab_title"]["en"] == "API-made"
    # A student of the class cannot make one.
    aoki = classroom.signed_in("aoki")
    mine = ApiLab(aoki, template="seed-002-ssh", name="aoki's")
    assert aoki.post(url, json=body | {"topology_id": mine.id}).status_code == 404
