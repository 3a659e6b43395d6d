"""A class of people for the access tests: two students, their instructor and another one.

Created straight in the tables of ``app.db.tables`` (the sign-in is another part's work):
the Store's checks take an ``Actor`` and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session

from app.accounts.actor import Actor
from app.db import tables


@dataclass(frozen=True)
class People:
    alice: Actor  # a student of the class
    bob: Actor  # another student, of no class the instructor teaches here
    teacher: Actor  # alice's instructor
    stranger: Actor  # an instructor of another class
    classroom_id: int


def make_people(engine: Engine) -> People:
    with Session(engine, expire_on_commit=False) as session:
        accounts = {
            login: tables.Account(login=login, display_name=name, role=role)
            for login, name, role in (
                ("alice", "Alice Student", "student"),
                ("bob", "Bob Student", "student"),
                ("teacher", "Ms Teacher", "instructor"),
                ("stranger", "Mr Stranger", "instructor"),
            )
        }
        session.add_all(accounts.values())
        session.flush()
        ids = {login: a.id for login, a in accounts.items() if a.id is not None}
        mine = tables.Classroom(name="Networks 1", instructor_id=ids["teacher"])
        theirs = tables.Classroom(name="Networks 2", instructor_id=ids["stranger"])
        session.add_all([mine, theirs])
        session.flush()
        assert mine.id is not None and theirs.id is not None
        session.add(tables.Membership(classroom_id=mine.id, account_id=ids["alice"]))
        session.add(tables.Membership(classroom_id=theirs.id, account_id=ids["bob"]))
        session.commit()
        actors = {
            login: Actor(ids[login], a.role, a.login)  # type: ignore[arg-type]
            for login, a in accounts.items()
        }
        return People(
            alice=actors["alice"],
            bob=actors["bob"],
            teacher=actors["teacher"],
            stranger=actors["stranger"],
            classroom_id=mine.id,
        )
