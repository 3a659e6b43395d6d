"""What the store's mixins (lab_life, guided, assignments) use of the ``Store`` they are mixed
into, declared once for the type checker: each mixin derives from ``StoreParts`` only while
type checking (at run time it derives from ``object``), and mypy holds ``Store``'s own methods
to these signatures, so a changed signature is one edit here, not one per mixin."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypeVar

from sqlmodel import Session

from app import labs
from app.accounts.actor import Actor
from app.engine import Topology
from app.engine.regions import DEFAULT_REGION

from . import tables

T = TypeVar("T")


class StoreParts(Protocol):
    actor: Actor | None

    @property
    def user_id(self) -> int: ...
    def _write(self) -> AbstractContextManager[Session]: ...
    def _read(self) -> AbstractContextManager[Session]: ...
    def _row(
        self, session: Session, topology_id: str, *, lock: bool = False, write: bool = False
    ) -> tables.Topology: ...
    def _model(self, session: Session, row: tables.Topology) -> Topology: ...
    def _apply(
        self,
        session: Session,
        row: tables.Topology,
        action: Callable[[Topology], T],
        *,
        what: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> tuple[T, Topology]: ...
    def _remember(self, topology_id: str, revision: int, model: Topology) -> None: ...
    def _check_topology_quota(self, session: Session) -> None: ...
    def create_topology(
        self,
        *,
        name: str,
        region: str = DEFAULT_REGION,
        template: str | None = "blank",
        lab: str | None = None,
        built: Topology | None = None,
        challenge: dict[str, Any] | None = None,
    ) -> dict[str, Any]: ...
    def delete_topology(self, topology_id: str) -> None: ...
    # guided.py's, for assignments.py
    def start_lab(self, lab_id: str, name: str) -> dict[str, Any]: ...
    def _lab_of(self, row: tables.Topology) -> labs.Lab: ...
    # assignments.py's, for guided.py
    def _variant_seed(self, row: tables.Topology) -> int | None: ...
    def _assignment_lab(self, topology: tables.Topology) -> labs.Lab | None: ...
