"""Clients of a classroom-mode lab, one per person of ``people.People``, signed in for real:
accounts with passwords, and each browser signs in through the login form (the helpers of
tests/accounts/helpers.py, from the sign-in work of issue 12)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.accounts.actor import Actor
from tests.accounts.helpers import Classroom

from .people import People


def signed_in_people(classroom: Classroom) -> tuple[People, dict[str, TestClient]]:
    """alice (a student of the teacher's class), bob (a student of the stranger's class), the
    teacher and the stranger (instructors), each signed in in a browser of their own, and
    ``nobody``, a browser nobody signed in on."""
    ids: dict[str, int] = {}
    for login, name, role in (
        ("teacher", "Ms Teacher", "instructor"),
        ("stranger", "Mr Stranger", "instructor"),
        ("alice", "Alice Student", "student"),
        ("bob", "Bob Student", "student"),
    ):
        ids[login] = classroom.add_user(login, role, display_name=name)
    mine = classroom.add_class(ids["teacher"], "Networks 1")
    theirs = classroom.add_class(ids["stranger"], "Networks 2")
    classroom.join(mine, ids["alice"])
    classroom.join(theirs, ids["bob"])
    people = People(
        alice=Actor(ids["alice"], "student", "alice"),
        bob=Actor(ids["bob"], "student", "bob"),
        teacher=Actor(ids["teacher"], "instructor", "teacher"),
        stranger=Actor(ids["stranger"], "instructor", "stranger"),
        classroom_id=mine,
    )
    clients = {login: classroom.signed_in(login) for login in ids}
    clients["nobody"] = classroom.client()
    return people, clients
