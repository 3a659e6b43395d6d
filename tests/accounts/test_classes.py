"""The instructor's classes: students one by one or from a roster, a join code, a new password."""

from __future__ import annotations

import csv
import html
import io
import re

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.db import tables
from tests.accounts.helpers import Classroom, csrf_token_of, sign_in


def passwords_on(page: str) -> dict[str, str]:
    """login → first password, as the passwords page shows them."""
    rows = re.findall(
        r"<tr><td><code>([^<]+)</code></td><td>[^<]*</td><td><code class=\"secret\">([^<]+)</code>",
        page,
    )
    return dict(rows)


def accounts_count(classroom: Classroom) -> int:
    with Session(classroom.store.engine) as session:
        return session.exec(select(func.count()).select_from(tables.Account)).one()


def teacher(classroom: Classroom) -> tuple[TestClient, int]:
    classroom.add_user("tanaka", "instructor", display_name="Tanaka")
    browser = classroom.signed_in("tanaka")
    made = browser.post("/classes", data={"name": "Networking 101"}, follow_redirects=False)
    assert made.status_code == 303
    return browser, int(made.headers["location"].rsplit("/", 1)[1])


def first_sign_in(classroom: Classroom, login: str, password: str) -> TestClient:
    browser = classroom.client()
    token = csrf_token_of(browser.get("/login").text)
    answer = browser.post(
        "/login",
        data={"login": login, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/account/password"
    return browser


def test_an_instructor_creates_a_class_and_adds_a_student(classroom: Classroom) -> None:
    browser, class_id = teacher(classroom)
    assert "Networking 101" in browser.get("/classes").text
    page = browser.post(
        f"/classes/{class_id}/students", data={"login": "S2027001", "display_name": "Sato Hanako"}
    )
    assert page.status_code == 201
    assert page.headers["Cache-Control"] == "no-store"
    passwords = passwords_on(page.text)
    assert list(passwords) == ["s2027001"]
    first_sign_in(classroom, "s2027001", passwords["s2027001"])
    listed = browser.get(f"/classes/{class_id}").text
    assert "s2027001" in listed and "Sato Hanako" in listed
    assert passwords["s2027001"] not in listed  # shown once


def test_a_taken_login_is_refused(classroom: Classroom) -> None:
    browser, class_id = teacher(classroom)
    answer = browser.post(f"/classes/{class_id}/students", data={"login": "tanaka"})
    assert answer.status_code == 400
    assert "The login tanaka is taken." in answer.text


ROSTER = "login,display_name\ns2027001,佐藤 花子\ns2027002,Suzuki Taro\r\ns2027003,\n"


def test_a_roster_is_previewed_then_imported_with_passwords_shown_once(
    classroom: Classroom,
) -> None:
    browser, class_id = teacher(classroom)
    before = accounts_count(classroom)
    preview = browser.post(
        f"/classes/{class_id}/roster",
        files={"roster": ("class.csv", ROSTER.encode("utf-8-sig"), "text/csv")},
    )
    assert preview.status_code == 200, preview.text
    assert "3 students will be added" in preview.text
    assert accounts_count(classroom) == before  # a preview writes nothing
    content = html.unescape(
        re.search(r'<textarea name="content" hidden>(.*?)</textarea>', preview.text, re.S).group(1)
    )
    done = browser.post(f"/classes/{class_id}/roster/import", data={"content": content})
    assert done.status_code == 201
    passwords = passwords_on(done.text)
    assert sorted(passwords) == ["s2027001", "s2027002", "s2027003"]
    assert "佐藤 花子" in done.text
    assert len(set(passwords.values())) == 3
    # The CSV the page downloads is its own table, sent back.
    table = html.unescape(
        re.search(r'<textarea name="csv" hidden>(.*?)</textarea>', done.text, re.S).group(1)
    )
    download = browser.post(f"/classes/{class_id}/passwords.csv", data={"csv": table})
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert {r["login"]: r["password"] for r in rows} == passwords
    for login, password in passwords.items():
        first_sign_in(classroom, login, password)
    listed = browser.get(f"/classes/{class_id}").text
    assert all(login in listed for login in passwords)


def test_a_roster_with_a_bad_line_adds_nobody(classroom: Classroom) -> None:
    browser, class_id = teacher(classroom)
    classroom.add_user("s2027009")
    before = accounts_count(classroom)
    bad = "login,display_name\ns2027001,Sato\nBad Login!,X\ns2027001,Again\ns2027009,Taken\n"
    preview = browser.post(f"/classes/{class_id}/roster", data={"text": bad})
    assert preview.status_code == 400
    assert "Nothing was added" in preview.text
    assert "Line 3" in preview.text and "A login is 2 to 64 characters" in preview.text
    assert "Line 4" in preview.text and "The same login as line 2." in preview.text
    assert "Add these students" not in preview.text
    # Sent anyway (a form from before, a script): the import refuses it whole.
    forced = browser.post(
        f"/classes/{class_id}/roster/import", data={"content": "s2027001,Sato\nBad Login!,X\n"}
    )
    assert forced.status_code == 400
    assert accounts_count(classroom) == before
    # A login taken is found at import (it may be taken between preview and import).
    taken = browser.post(
        f"/classes/{class_id}/roster/import", data={"content": "s2027001,A\ns2027009,B\n"}
    )
    assert taken.status_code == 400
    assert "Line 2" in taken.text and "This login is taken" in taken.text
    assert accounts_count(classroom) == before


def test_a_shift_jis_roster_from_excel_is_read(classroom: Classroom) -> None:
    browser, class_id = teacher(classroom)
    preview = browser.post(
        f"/classes/{class_id}/roster",
        files={"roster": ("class.csv", "s2027001,佐藤 花子\n".encode("cp932"), "text/csv")},
    )
    assert preview.status_code == 200 and "佐藤 花子" in preview.text


def test_a_class_is_its_instructors_alone(classroom: Classroom) -> None:
    _browser, class_id = teacher(classroom)
    classroom.add_user("other", "instructor")
    classroom.add_user("alice")
    for login in ("other", "alice"):
        someone = classroom.signed_in(login)
        assert someone.get(f"/classes/{class_id}").status_code == 404
        assert (
            someone.post(f"/classes/{class_id}/students", data={"login": "x1"}).status_code == 404
        )
        assert (
            someone.post(f"/classes/{class_id}/join-code", data={"action": "new"}).status_code
            == 404
        )
    assert classroom.signed_in("alice").get("/classes").status_code == 404
    assert classroom.signed_in("other").get("/classes/999").status_code == 404


def test_a_join_code_lets_students_make_their_own_account(classroom: Classroom) -> None:
    browser, class_id = teacher(classroom)
    page = browser.post(f"/classes/{class_id}/join-code", data={"action": "new"})
    found = re.search(r'id="join-code">([A-Z0-9-]+)</p>', page.text)
    assert found, page.text
    code = found.group(1)
    student = classroom.client()
    joined = student.post(
        "/join",
        data={
            "code": code.lower().replace("-", " "),
            "login": "s2027005",
            "display_name": "Ito",
            "password": "my own pass",
            "confirm": "my own pass",
        },
        follow_redirects=False,
    )
    assert joined.status_code == 303
    assert student.get("/", follow_redirects=False).status_code == 200  # signed in
    assert "s2027005" in browser.get(f"/classes/{class_id}").text
    # A new code stops the old one; turned off, none works.
    browser.post(f"/classes/{class_id}/join-code", data={"action": "new"})
    refused = classroom.client().post(
        "/join", data={"code": code, "login": "s2027006", "password": "x" * 10, "confirm": "x" * 10}
    )
    assert refused.status_code == 400 and "No class has this join code" in refused.text
    page = browser.post(f"/classes/{class_id}/join-code", data={"action": "off"})
    assert 'id="join-code"' not in page.text


def test_wrong_join_codes_are_limited(classroom: Classroom) -> None:
    classroom.app.state.rate_limits.per_minute["login-address"] = 3
    guesser = classroom.client()
    answers = [
        guesser.post(
            "/join",
            data={"code": "AAAA-AAAA", "login": "x1", "password": "x" * 9, "confirm": "x" * 9},
        ).status_code
        for _ in range(4)
    ]
    assert answers == [400, 400, 400, 429]


def test_resetting_a_students_password(classroom: Classroom) -> None:
    browser, class_id = teacher(classroom)
    alice_id = classroom.add_user("alice", classroom_id=class_id)
    alice = classroom.signed_in("alice")
    confirm = browser.get(f"/classes/{class_id}/students/{alice_id}/reset")
    assert "Give this student a new password?" in confirm.text
    assert alice.get("/", follow_redirects=False).status_code == 200  # nothing yet
    page = browser.post(f"/classes/{class_id}/students/{alice_id}/reset")
    assert page.status_code == 201
    password = passwords_on(page.text)["alice"]
    signed_out = alice.get("/", follow_redirects=False)
    assert signed_out.headers["location"].startswith("/login")
    first_sign_in(classroom, "alice", password)
    # Only their own class's students.
    bob_id = classroom.add_user("bob")
    assert browser.get(f"/classes/{class_id}/students/{bob_id}/reset").status_code == 404
    assert browser.post(f"/classes/{class_id}/students/{bob_id}/reset").status_code == 404


def test_the_class_forms_need_the_csrf_token(classroom: Classroom) -> None:
    browser, class_id = teacher(classroom)
    del browser.headers["X-CSRF-Token"]
    assert browser.post(f"/classes/{class_id}/students", data={"login": "s1"}).status_code == 403
    assert "s1" not in browser.get(f"/classes/{class_id}").text.split("<main", 1)[1]


def test_the_header_links_an_instructor_to_their_classes(classroom: Classroom) -> None:
    browser, _class_id = teacher(classroom)
    assert 'href="/classes"' in browser.get("/").text
    classroom.add_user("alice")
    alice = classroom.client()
    sign_in(alice, "alice")
    assert 'href="/classes"' not in alice.get("/").text
