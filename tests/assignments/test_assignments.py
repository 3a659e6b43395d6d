"""Assignments (issue 13, item 4): an instructor gives a guided lab to a class; each student
starts their own copy (a variant on a network of their own when asked); the dashboard and the
CSV show each one's grade, now and at the due date."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.db import tables
from app.labs import all_labs
from tests.accounts.helpers import Classroom, csrf_token_of
from tests.api.lab import Lab as ApiLab
from tests.labs.test_lab_002 import Design

LAB_ID = "seed-002-ssh-from-home"
LAB = all_labs()[LAB_ID]
TOTAL_CHECKS = sum(len(step.checks) for step in LAB.steps)


def people(classroom: Classroom, students: tuple[str, ...] = ("aoki", "baba", "chiba")) -> Any:
    teacher_id = classroom.add_user("tanaka", "instructor", display_name="田中先生")
    class_id = classroom.add_class(teacher_id)
    for login in students:
        classroom.add_user(login, display_name=f"{login.title()} 花子", classroom_id=class_id)
    return class_id, classroom.signed_in("tanaka")


def give(teacher: TestClient, class_id: int, *, status: int = 303, **fields: str) -> Any:
    form = {"lab_id": LAB_ID, "title": "Week 3 — SSH", "opens_at": "", "due_at": ""} | fields
    answer = teacher.post(f"/classes/{class_id}/assignments", data=form, follow_redirects=False)
    assert answer.status_code == status, answer.text
    if status != 303:
        return answer
    found = re.fullmatch(rf"/classes/{class_id}/assignments/(\d+)", answer.headers["location"])
    assert found, answer.headers["location"]
    return int(found.group(1))


def start(student: TestClient, assignment_id: int, status: int = 303) -> Any:
    answer = student.post(f"/assignments/{assignment_id}/start", follow_redirects=False)
    assert answer.status_code == status, answer.text
    if status != 303:
        return answer
    return answer.headers["location"].rsplit("/", 1)[1]


def counts(classroom: Classroom) -> tuple[int, int, int]:
    with Session(classroom.store.engine) as session:
        return tuple(  # type: ignore[return-value]
            session.exec(select(func.count()).select_from(table)).one()
            for table in (tables.Assignment, tables.AssignmentWork, tables.Topology)
        )


def api_of(student: TestClient, topology_id: str) -> ApiLab:
    """The student's copy, driven over the API as the lab tests drive a topology."""
    api = ApiLab.__new__(ApiLab)
    api.client, api.id = student, topology_id
    return api


def next_step(student: TestClient, topology_id: str) -> None:
    answer = student.post(f"/api/v1/topologies/{topology_id}/lab/next")
    assert answer.status_code == 200, answer.text


def test_the_instructor_gives_a_lab_and_a_student_starts_their_own_copy(
    classroom: Classroom,
) -> None:
    class_id, teacher = people(classroom)
    page = teacher.get(f"/classes/{class_id}")
    assert "New assignment" in page.text and LAB.title.en in page.text
    assignment = give(teacher, class_id)
    assert "Week 3 — SSH" in teacher.get(f"/classes/{class_id}").text

    aoki = classroom.signed_in("aoki")
    home = aoki.get("/").text
    assert "Week 3 — SSH" in home and f'action="/assignments/{assignment}/start"' in home
    topology = start(aoki, assignment)
    lab = aoki.get(f"/api/v1/topologies/{topology}/lab").json()
    assert lab["lab"]["id"] == LAB_ID and lab["step"] == 0
    # Starting again (another tab, the button pressed twice) opens the same copy.
    assert start(aoki, assignment) == topology
    assert counts(classroom) == (1, 1, 1)
    assert f'href="/topologies/{topology}#lab-panel"' in aoki.get("/").text


def test_an_assignment_cannot_be_started_before_it_opens(classroom: Classroom) -> None:
    class_id, teacher = people(classroom)
    assignment = give(teacher, class_id, opens_at="2099-04-01T09:00", due_at="2099-04-08T09:00")
    aoki = classroom.signed_in("aoki")
    assert "opens 2099-04-01 09:00 UTC" in aoki.get("/").text
    refused = start(aoki, assignment, status=409)
    assert "IncorrectState" in refused.text
    assert "opens on 2099-04-01 09:00 UTC" in html.unescape(refused.text)
    api = aoki.post(f"/api/v1/assignments/{assignment}/start")
    assert api.status_code == 409 and api.json()["error"]["code"] == "IncorrectState"
    assert counts(classroom) == (1, 0, 0)  # nothing created


def test_bad_assignments_are_refused_and_nothing_is_written(classroom: Classroom) -> None:
    class_id, teacher = people(classroom)
    late = give(
        teacher, class_id, status=400, opens_at="2027-04-08T09:00", due_at="2027-04-01T09:00"
    )
    assert "InvalidParameterValue" in late.text and "must come after" in late.text
    assert give(teacher, class_id, status=400, lab_id="no-such-lab").status_code == 400
    assert give(teacher, class_id, status=400, title=" ").status_code == 400
    assert "is not a date" in give(teacher, class_id, status=400, opens_at="tomorrow").text
    # A challenge's network is a prebuilt template: its addresses cannot move per student.
    fixed = give(teacher, class_id, status=400, lab_id="challenge-nat", variants="1")
    assert "InvalidParameterValue" in fixed.text and "prebuilt" in html.unescape(fixed.text)
    assert counts(classroom) == (0, 0, 0)


def test_only_the_class_sees_and_starts_its_assignment(classroom: Classroom) -> None:
    class_id, teacher = people(classroom)
    assignment = give(teacher, class_id)
    other_teacher = classroom.add_user("suzuki", "instructor")
    other_class = classroom.add_class(other_teacher, "Other class")
    classroom.add_user("dan", classroom_id=other_class)
    dan = classroom.signed_in("dan")
    assert "Week 3" not in dan.get("/").text
    assert start(dan, assignment, status=404).status_code == 404
    assert dan.post(f"/api/v1/assignments/{assignment}/start").status_code == 404
    assert dan.get("/api/v1/assignments").json() == {"assignments": []}
    suzuki = classroom.signed_in("suzuki")
    for path in (
        f"/api/v1/classes/{class_id}/assignments/{assignment}",
        f"/classes/{class_id}/assignments/{assignment}",
        f"/classes/{class_id}/assignments/{assignment}/grades.csv",
    ):
        assert suzuki.get(path).status_code == 404
        assert dan.get(path).status_code == 404
    # Nor may another instructor give an assignment to a class not theirs.
    form = {"lab_id": LAB_ID, "title": "x", "csrf_token": csrf_token_of(suzuki.get("/").text)}
    assert suzuki.post(f"/classes/{class_id}/assignments", data=form).status_code == 404
    # A class's own instructor asking for an assignment of another class: 404 too.
    theirs = give(suzuki, other_class)
    assert teacher.get(f"/classes/{class_id}/assignments/{theirs}").status_code == 404
    assert counts(classroom) == (2, 0, 0)


def test_variants_give_three_students_three_networks(classroom: Classroom) -> None:
    class_id, teacher = people(classroom)
    assignment = give(teacher, class_id, variants="1")
    networks = set()
    for login in ("aoki", "baba", "chiba"):
        student = classroom.signed_in(login)
        topology = start(student, assignment)
        shown = re.search(r'<code class="network">([^<]+)</code>', student.get("/").text)
        assert shown, "the student's page names their network"
        network = shown.group(1)
        networks.add(network)
        [mine] = student.get("/api/v1/assignments").json()["assignments"]
        assert (mine["network"], mine["topology_id"], mine["started"]) == (network, topology, True)
        again = student.post(f"/api/v1/assignments/{assignment}/start")
        assert again.status_code == 201 and again.json()["id"] == topology
        # The lab panel and the API give the student's own addresses, in both languages.
        for language in ("en", "ja"):
            lab = student.get(
                f"/api/v1/topologies/{topology}/lab", headers={"Accept-Language": language}
            ).json()
            texts = str(lab["current"])
            assert network in texts and "192.168." not in texts
        panel = student.get(f"/topologies/{topology}").text  # the lab panel of the workspace
        assert network in panel and "192.168.0.0/16" not in panel
    assert len(networks) == 3
    board = teacher.get(f"/classes/{class_id}/assignments/{assignment}").text
    assert all(network in board for network in networks)
    api_board = teacher.get(f"/api/v1/classes/{class_id}/assignments/{assignment}").json()
    assert {s["network"] for s in api_board["students"]} == networks


def do_steps(student: TestClient, topology: str, count: int) -> None:
    """The article's design of lab 002, its first ``count`` steps, each followed by "next"."""
    api = api_of(student, topology)
    article = Design(
        api,
        "192.168.0.0/16",
        [("a", "192.168.1.0/24", "ap-northeast-1b"), ("b", "192.168.2.0/24", "ap-northeast-1c")],
    )
    actions = [article.vpc, article.internet_gateway, article.make_subnets][:count]
    for action in actions:
        action()
        next_step(student, topology)


def percent(steps: int) -> int:
    return sum(len(s.checks) for s in LAB.steps[:steps]) * 100 // TOTAL_CHECKS


def board_rows(page: str) -> dict[str, dict[str, Any]]:
    rows = {}
    for login, row in re.findall(
        r'<tr class="student" data-login="([^"]+)">(.*?)</tr>', page, re.S
    ):
        rows[login] = {
            "pass": row.count('class="check pass"'),
            "fail": row.count('class="check fail"'),
            "not_started": row.count('class="check not-started"'),
            "now": re.search(r'class="grade-now">([^<]*)<', row).group(1),  # type: ignore[union-attr]
            "at_due": re.search(r'class="grade-at-due">([^<]*)<', row).group(1),  # type: ignore[union-attr]
        }
    return rows


def csv_rows(teacher: TestClient, class_id: int, assignment: int) -> dict[str, list[str]]:
    answer = teacher.get(f"/classes/{class_id}/assignments/{assignment}/grades.csv")
    assert answer.status_code == 200
    assert answer.content.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0] == ["login", "display_name", "grade_now", "grade_at_due", "steps_done"]
    return {row[0]: row[1:] for row in rows[1:]}


def test_the_dashboard_and_the_csv_show_each_students_progress(classroom: Classroom) -> None:
    class_id, teacher = people(classroom)
    assignment = give(teacher, class_id)
    aoki, baba = classroom.signed_in("aoki"), classroom.signed_in("baba")
    do_steps(aoki, start(aoki, assignment), 2)
    baba_topology = start(baba, assignment)
    do_steps(baba, baba_topology, 1)

    page = teacher.get(f"/classes/{class_id}/assignments/{assignment}")
    assert page.status_code == 200
    rows = board_rows(page.text)
    two, one = percent(2), percent(1)
    assert 0 < one < two < 100
    assert rows["aoki"] == {
        "pass": len(LAB.steps[0].checks) + len(LAB.steps[1].checks),
        "fail": TOTAL_CHECKS - len(LAB.steps[0].checks) - len(LAB.steps[1].checks),
        "not_started": 0,
        "now": f"{two}%",
        "at_due": "—",
    }
    assert rows["baba"]["now"] == f"{one}%" and rows["baba"]["pass"] == len(LAB.steps[0].checks)
    assert rows["chiba"] == {
        "pass": 0,
        "fail": 0,
        "not_started": TOTAL_CHECKS,
        "now": "0%",
        "at_due": "—",
    }
    assert f'href="/topologies/{baba_topology}#lab-panel"' in page.text
    # The instructor opens a student's lab read only, as for any of their topologies.
    assert teacher.get(f"/topologies/{baba_topology}").status_code == 200
    assert teacher.post(f"/api/v1/topologies/{baba_topology}/lab/next").status_code == 403

    assert csv_rows(teacher, class_id, assignment) == {
        "aoki": ["Aoki 花子", str(two), "", "2"],
        "baba": ["Baba 花子", str(one), "", "1"],
        "chiba": ["Chiba 花子", "0", "", "0"],
    }
    # The current step's checks count as soon as they pass: recomputed on every view.
    api = api_of(baba, baba_topology)
    api.ok("POST", "internet-gateways", {}, 201)
    igw = api.items("internet-gateways", "InternetGateways")[0]["InternetGatewayId"]
    vpc = api.items("vpcs", "Vpcs")[0]["VpcId"]
    api.ok("POST", f"internet-gateways/{igw}/attach", {"VpcId": vpc})
    assert csv_rows(teacher, class_id, assignment)["baba"] == ["Baba 花子", str(two), "", "1"]


def due_now(classroom: Classroom, assignment: int) -> None:
    """The assignment's due date is now (as if the week had passed)."""
    with Session(classroom.store.engine) as session:
        row = session.get(tables.Assignment, assignment)
        assert row is not None
        row.due_at = datetime.now(UTC)
        session.add(row)
        session.commit()


def test_the_grade_at_the_due_date_is_kept(classroom: Classroom) -> None:
    class_id, teacher = people(classroom)
    assignment = give(teacher, class_id, due_at="2099-04-08T09:00")
    aoki = classroom.signed_in("aoki")
    topology = start(aoki, assignment)
    do_steps(aoki, topology, 1)
    before = board_rows(teacher.get(f"/classes/{class_id}/assignments/{assignment}").text)
    assert before["aoki"]["at_due"] == "—"  # not due yet
    due_now(classroom, assignment)  # the due date passes
    baba = classroom.signed_in("baba")
    do_steps(baba, start(baba, assignment), 1)  # late work is allowed, and shown apart

    first = board_rows(teacher.get(f"/classes/{class_id}/assignments/{assignment}").text)
    assert first["aoki"]["at_due"] == first["aoki"]["now"] == f"{percent(1)}%"
    assert first["baba"]["now"] == f"{percent(1)}%"
    assert first["baba"]["at_due"] == first["chiba"]["at_due"] == "0%"  # nothing by the due date
    api = api_of(aoki, topology)
    igw = api.ok("POST", "internet-gateways", {}, 201)["InternetGatewayId"]
    vpc = api.items("vpcs", "Vpcs")[0]["VpcId"]
    api.ok("POST", f"internet-gateways/{igw}/attach", {"VpcId": vpc})
    next_step(aoki, topology)
    later = board_rows(teacher.get(f"/classes/{class_id}/assignments/{assignment}").text)
    assert later["aoki"]["now"] == f"{percent(2)}%"
    assert later["aoki"]["at_due"] == f"{percent(1)}%"
    assert csv_rows(teacher, class_id, assignment)["aoki"][1:] == [
        str(percent(2)),
        str(percent(1)),
        "2",
    ]
    assert f"grade at due: {percent(1)}%" in aoki.get("/").text


def test_work_after_the_due_date_does_not_change_the_grade_at_it_even_unseen(
    classroom: Classroom,
) -> None:
    """Nobody looks at the board between the due date and the student's next change: the
    grade at the due date is still the one the network had then."""
    class_id, teacher = people(classroom)
    assignment = give(teacher, class_id, due_at="2099-04-08T09:00")
    aoki = classroom.signed_in("aoki")
    topology = start(aoki, assignment)
    do_steps(aoki, topology, 1)
    due_now(classroom, assignment)  # the due date passes
    api = api_of(aoki, topology)
    igw = api.ok("POST", "internet-gateways", {}, 201)["InternetGatewayId"]
    vpc = api.items("vpcs", "Vpcs")[0]["VpcId"]
    api.ok("POST", f"internet-gateways/{igw}/attach", {"VpcId": vpc})
    next_step(aoki, topology)
    board = board_rows(teacher.get(f"/classes/{class_id}/assignments/{assignment}").text)
    assert board["aoki"]["now"] == f"{percent(2)}%"
    assert board["aoki"]["at_due"] == f"{percent(1)}%"


def test_the_assignment_pages_are_all_japanese_for_a_japanese_reader(
    classroom: Classroom,
) -> None:
    from tests.web.test_no_english_left_in_japanese import english_words

    class_id, teacher = people(classroom)
    assignment = give(teacher, class_id, variants="1", title="第3週", due_at="2099-01-01T00:00")
    give(teacher, class_id, title="第4週", opens_at="2099-01-01T00:00")
    aoki = classroom.signed_in("aoki")
    topology = start(aoki, assignment)
    do_steps(aoki, topology, 1)
    ja = {"Accept-Language": "ja"}
    typed = {"Aoki", "Baba", "Chiba", "aoki", "baba", "chiba", "Networking"}  # names, logins
    pages = {
        "class": teacher.get(f"/classes/{class_id}", headers=ja),
        "dashboard": teacher.get(f"/classes/{class_id}/assignments/{assignment}", headers=ja),
        "student": aoki.get("/", headers=ja),
        "refused": teacher.post(
            f"/classes/{class_id}/assignments",
            data={"lab_id": LAB_ID, "title": "x", "opens_at": "2027-02-01", "due_at": "2027-01-01"},
            headers=ja,
        ),
    }
    for name, page in pages.items():
        assert page.status_code in (200, 400), name
        assert "課題" in page.text or "現在の成績" in page.text, name
        assert not english_words(page.text, typed), (name, english_words(page.text, typed))
