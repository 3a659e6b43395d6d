"""SQLModel tables: topologies, one table per AWS resource kind, stored analyses.

A resource row keeps its describe-* document (the engine's one conversion) plus the columns
worth querying (VPC, name). Constraint names follow a naming convention so Alembic's batch mode
can alter them on SQLite.
"""

from __future__ import annotations

import types
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, MetaData, Text
from sqlmodel import Field, SQLModel

from app.accounts.actor import LOCAL_OWNER_ID
from app.engine.kinds import KINDS, Kind

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def now() -> datetime:
    return datetime.now(UTC)


class Account(SQLModel, table=True):
    """A user: the personal mode's local owner (id 1), or a classroom's instructor or student.

    ``password_hash`` is an Argon2id hash (None: cannot sign in, like the local owner)."""

    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(max_length=64, unique=True)
    display_name: str = Field(default="", max_length=200)
    role: str = Field(max_length=16)  # app.accounts.actor.ROLES
    password_hash: str | None = Field(default=None, max_length=255)
    must_change_password: bool = False
    created_at: datetime = Field(default_factory=now)
    # The language of the pages for this user (app.i18n.LANGUAGES); None follows the browser.
    language: str | None = Field(default=None, max_length=8)


class LoginSession(SQLModel, table=True):
    """A signed-in browser: the cookie holds a random id, the database only its SHA-256, so a
    copy of the database signs nobody in. Deleted on sign-out, password change and reset."""

    __tablename__ = "login_session"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=now)
    expires_at: datetime


class ApiToken(SQLModel, table=True):
    """A personal API token (``Authorization: Bearer``): shown once, kept as its SHA-256."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=100)
    prefix: str = Field(max_length=16)  # the token's first characters, to recognize it
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=now)
    last_used_at: datetime | None = None


class Classroom(SQLModel, table=True):
    """A class an instructor teaches; students join it (``Membership``) by being added, by a
    roster, or with its ``join_code``."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    instructor_id: int = Field(foreign_key="account.id", ondelete="CASCADE", index=True)
    join_code: str | None = Field(default=None, max_length=32, unique=True)
    created_at: datetime = Field(default_factory=now)


class Membership(SQLModel, table=True):
    """A student in a class: the class's instructor may read (never change) their topologies."""

    classroom_id: int = Field(primary_key=True, foreign_key="classroom.id", ondelete="CASCADE")
    account_id: int = Field(
        primary_key=True, foreign_key="account.id", ondelete="CASCADE", index=True
    )


class Topology(SQLModel, table=True):
    """A sandbox of one AWS account in one region; ``revision`` grows with every change.

    It belongs to one account (``owner_id``); ``app.accounts`` decides who else may see it.
    ``template`` is what it was created from, to reset it to (None: imported, or made before
    the lab remembered templates; such a topology cannot be reset)."""

    id: str = Field(primary_key=True, max_length=32)
    owner_id: int = Field(
        default=LOCAL_OWNER_ID, foreign_key="account.id", ondelete="CASCADE", index=True
    )
    name: str = Field(max_length=200)
    region: str = Field(max_length=32)
    revision: int = 0
    template: str | None = Field(default=None, max_length=64)
    # The guided lab it follows (docs/labs.md: its id) and the step shown, 0-based.
    lab: str | None = Field(default=None, max_length=64)
    lab_step: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # A troubleshooting challenge's faults, original network and hints (app/labs/challenge.py).
    challenge: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    created_at: datetime = Field(default_factory=now)
    updated_at: datetime = Field(default_factory=now)


class ResourceRow(SQLModel):
    """The columns every resource table has."""

    topology_id: str = Field(
        primary_key=True, max_length=32, foreign_key="topology.id", ondelete="CASCADE"
    )
    resource_id: str = Field(primary_key=True, max_length=64)
    vpc_id: str | None = Field(default=None, max_length=64, index=True)
    name: str | None = Field(default=None, max_length=256)
    document: dict[str, Any] = Field(sa_type=JSON, sa_column_kwargs={"nullable": False})


def _row_class(kind: Kind) -> type[ResourceRow]:
    """The table of one resource kind, named after it (``nat_gateway``)."""
    name = "".join(part.title() for part in kind.name.split("-")) + "Row"
    return types.new_class(
        name,
        (ResourceRow,),
        {"table": True},
        lambda namespace: namespace.update({"__tablename__": kind.table, "__module__": __name__}),
    )


# One table per resource kind, derived from the kinds' declaration (app/engine/kinds.py).
ROW_OF_KIND: dict[str, type[ResourceRow]] = {kind.name: _row_class(kind) for kind in KINDS}


class Analysis(SQLModel, table=True):
    """A stored "test connection": its request, and the result at the revision it ran on."""

    id: int | None = Field(default=None, primary_key=True)
    topology_id: str = Field(
        max_length=32, foreign_key="topology.id", ondelete="CASCADE", index=True
    )
    revision: int
    reachable: bool
    request: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    result: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=now)


class BackgroundJob(SQLModel, table=True):
    """A whole-network analysis in the background (``app.jobs``), shared by every worker and
    replica: one process claims it (``claimed_by``, kept alive by ``heartbeat``), any process
    answers its progress and its result.

    The question is ``kind`` on ``topology_id`` at ``revision`` with ``parameters`` (canonical
    JSON: the same question, the same text). Times are seconds since the epoch as the writing
    process's clock says (``time.time()``): sub-second on SQLite too, and NTP keeps replicas'
    clocks far closer than the seconds these times are compared at."""

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_question", "topology_id", "revision", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    topology_id: str = Field(max_length=32)
    revision: int
    parameters: str = Field(sa_type=Text)
    owner: str = Field(max_length=200, index=True)
    status: str = Field(max_length=16, index=True)  # queued, running, done, failed, cancelled
    done: int = 0
    total: int = 0
    result: bytes | None = Field(default=None, sa_type=LargeBinary)  # zlib-compressed JSON
    error: str | None = Field(default=None, sa_type=Text)
    # Who still wants it: API requests awaiting it (each process refreshes ``waited_at`` while
    # its requests wait), and a page polling it (each poll moves ``watched_until`` on).
    waiters: int = 0
    waited_at: float = 0.0
    watched_until: float = 0.0
    claimed_by: str | None = Field(default=None, max_length=255)  # host:pid
    heartbeat: float = 0.0
    attempts: int = 0  # claims: a job whose processes keep dying is failed, not retried forever
    created_at: float
    updated_at: float
    started_at: float | None = None
    finished_at: float | None = None


class TopologyRevision(SQLModel, table=True):
    """One revision of a topology: what made it (``action``, ``params``, the ids ``changes``
    names) and ``undo``, the resource rows as they were before it (zlib-compressed JSON), from
    which any kept revision is rebuilt (app/db/history.py)."""

    __tablename__ = "topology_revision"

    topology_id: str = Field(
        primary_key=True, max_length=32, foreign_key="topology.id", ondelete="CASCADE"
    )
    revision: int = Field(primary_key=True)
    created_at: datetime = Field(default_factory=now)
    action: str = Field(max_length=64)
    params: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    changes: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    undo: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class Assignment(SQLModel, table=True):
    """A guided lab given to a class (app/db/assignments.py): each student starts their own
    copy between ``opens_at`` and ``due_at`` (UTC; None: no due date); ``variants``: each copy
    moves the lab's addresses to a network of its own (app/labs/variants.py)."""

    id: int | None = Field(default=None, primary_key=True)
    classroom_id: int = Field(foreign_key="classroom.id", ondelete="CASCADE", index=True)
    lab_id: str = Field(max_length=64)
    title: str = Field(max_length=200)
    variants: bool = False
    opens_at: datetime
    due_at: datetime | None = None
    created_at: datetime = Field(default_factory=now)
    # An assignment made from an instructor's own topology (lab_id ``assignment-<id>``,
    # app/labs/custom.py): the topology it was made from (its id, kept for the page: the
    # network itself is ``start``, a describe-* bundle taken then), the students' text and the
    # checks as raw specs. All None for an assignment of a guided lab from the files.
    source_topology_id: str | None = Field(default=None, max_length=32)
    start: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    text: str | None = Field(default=None, max_length=4000)
    checks: list[Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class AssignmentWork(SQLModel, table=True):
    """A student's copy of an assignment: the topology they work in (deleting it deletes this
    row: starting again makes a new copy), the seed of its variant (None: the lab as written),
    and the grade recorded at the first view after the due date."""

    __tablename__ = "assignment_work"

    assignment_id: int = Field(primary_key=True, foreign_key="assignment.id", ondelete="CASCADE")
    account_id: int = Field(
        primary_key=True, foreign_key="account.id", ondelete="CASCADE", index=True
    )
    topology_id: str = Field(
        max_length=32, foreign_key="topology.id", ondelete="CASCADE", unique=True
    )
    seed: int | None = None
    grade_at_due: int | None = None  # percent
    graded_at: datetime | None = None
    created_at: datetime = Field(default_factory=now)
