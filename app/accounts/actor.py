"""The one asking: a user id and the role the checks need.

Personal mode (the default of ``make run``) has one user, the local owner, created by the
migration that brought accounts (id 1): every request acts as that user, with no login.
Classroom mode has instructors and students who sign in (``app.accounts.identify``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from starlette.requests import HTTPConnection

Role = Literal["owner", "instructor", "student"]
ROLES: tuple[Role, ...] = ("owner", "instructor", "student")

LOCAL_OWNER_ID = 1
LOCAL_OWNER_LOGIN = "local"


@dataclass(frozen=True, slots=True)
class Actor:
    """A signed-in user (or the local owner), as the checks see them."""

    user_id: int
    role: Role
    login: str

    @property
    def is_instructor(self) -> bool:
        return self.role == "instructor"


LOCAL_OWNER = Actor(LOCAL_OWNER_ID, "owner", LOCAL_OWNER_LOGIN)


def actor_of(connection: HTTPConnection) -> Actor | None:
    """The actor ``Identify`` found for this request; None when nobody is signed in."""
    actor = connection.scope.get("state", {}).get("actor")
    return actor if isinstance(actor, Actor) else None
