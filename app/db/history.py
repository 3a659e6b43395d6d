"""A topology's history: every revision, what made it, and how to go back to it.

Each change records one ``topology_revision`` row: the action's name and parameters, the ids it
added, removed or changed (as data; the pages put them into words), and ``undo``: the resource
rows those ids had *before* the change (None for an id the change added), zlib-compressed JSON.
A revision is rebuilt by starting from the rows as they are and applying the undo of every later
revision, newest first. A small change on a topology of 12,000 rows writes a few hundred bytes
(not a snapshot of the whole topology), so history costs every change almost nothing; restoring
rebuilds the whole topology once.

Restoring writes a *new* revision equal to the old state: history is never rewritten, and a
restore can itself be undone. The last ``REVISIONS_KEPT`` revisions of a topology are kept.
"""

from __future__ import annotations

import json
import zlib
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.engine import AwsError
from app.engine.bundle import BUNDLE_KEYS
from app.engine.messages import message, text

from . import tables

REVISIONS_KEPT = 100

# The action a change is made by, when its caller does not name it: the JSON API sets the name
# of its route here (app/api), so a change made by a script is named in the history too.
CHANGE_ACTION: ContextVar[str | None] = ContextVar("change_action", default=None)

# How many ids of each kind a revision's summary names (all of them are in its undo).
IDS_NAMED = 20

RowImage = dict[str, Any]  # {"vpc_id", "name", "document"}: a resource row without its keys


@dataclass
class Diff:
    """What one change did to the resource rows: the ids by kind, and the rows before it."""

    undo: dict[str, dict[str, RowImage | None]] = field(default_factory=dict)
    added: dict[str, list[str]] = field(default_factory=dict)
    removed: dict[str, list[str]] = field(default_factory=dict)
    changed: dict[str, list[str]] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """The ids a reader is shown (at most ``IDS_NAMED`` of a kind) and how many there are."""
        summary: dict[str, Any] = {}
        for what in ("added", "removed", "changed"):
            by_kind: dict[str, list[str]] = getattr(self, what)
            summary[what] = {k: sorted(ids)[:IDS_NAMED] for k, ids in by_kind.items() if ids}
            summary[f"{what}_count"] = sum(len(ids) for ids in by_kind.values())
        return summary


def encode(undo: dict[str, dict[str, RowImage | None]]) -> bytes:
    return zlib.compress(json.dumps(undo, separators=(",", ":")).encode(), 6)


def decode(blob: bytes) -> dict[str, dict[str, RowImage | None]]:
    return json.loads(zlib.decompress(blob)) if blob else {}  # type: ignore[no-any-return]


def record(
    session: Session,
    row: tables.Topology,
    action: str | None,
    params: dict[str, Any] | None = None,
    diff: Diff | None = None,
) -> None:
    """The revision ``row`` has just reached, and forget the ones past ``REVISIONS_KEPT``."""
    diff = diff or Diff()
    session.add(
        tables.TopologyRevision(
            topology_id=row.id,
            revision=row.revision,
            action=(action or CHANGE_ACTION.get() or "change")[:64],
            params=params or {},
            changes=diff.summary(),
            undo=encode(diff.undo),
        )
    )
    session.execute(
        delete(tables.TopologyRevision).where(
            col(tables.TopologyRevision.topology_id) == row.id,
            col(tables.TopologyRevision.revision) <= row.revision - REVISIONS_KEPT,
        )
    )


def forget(session: Session, topology_id: str) -> None:
    session.execute(
        delete(tables.TopologyRevision).where(
            col(tables.TopologyRevision.topology_id) == topology_id
        )
    )


def revisions(session: Session, row: tables.Topology) -> list[dict[str, Any]]:
    """The kept revisions of ``row``, newest first, each saying whether it can be restored."""
    # Every column but ``undo`` (sqlalchemy's select: sqlmodel's types at most four columns).
    entries = session.execute(
        sa_select(
            col(tables.TopologyRevision.revision),
            col(tables.TopologyRevision.created_at),
            col(tables.TopologyRevision.action),
            col(tables.TopologyRevision.params),
            col(tables.TopologyRevision.changes),
        )
        .where(col(tables.TopologyRevision.topology_id) == row.id)
        .order_by(col(tables.TopologyRevision.revision).desc())
    ).all()
    answer = []
    contiguous = True  # every revision from the newest down to this one is kept
    expected = row.revision
    for revision, created_at, action, params, changes in entries:
        contiguous = contiguous and revision == expected
        expected = revision - 1
        answer.append(
            {
                "revision": revision,
                "created_at": created_at.isoformat(),
                "action": action,
                "params": params,
                "changes": changes,
                "current": revision == row.revision,
                "restorable": contiguous and revision != row.revision,
            }
        )
    return answer


text(
    "store.revision.expired.oldest",
    "Revision {revision} is no longer kept: the lab keeps the last {kept} revisions of a "
    "topology, and can restore only those. The oldest revision you can restore is {oldest}.",
)
text(
    "store.revision.expired.none",
    "Revision {revision} is no longer kept: the lab keeps the last {kept} revisions of a "
    "topology, and can restore only those. This topology has no earlier revision kept.",
)
text(
    "store.revision.current",
    "Revision {revision} is the topology as it is now: there is nothing to restore.",
)
text(
    "store.revision.not_found",
    "This topology has no revision {revision}; its revisions go up to {latest}.",
)


def not_kept(revision: int, oldest: int | None) -> AwsError:
    if oldest is None:
        said = message("store.revision.expired.none", revision=revision, kept=REVISIONS_KEPT)
    else:
        said = message(
            "store.revision.expired.oldest", revision=revision, kept=REVISIONS_KEPT, oldest=oldest
        )
    return AwsError("InvalidRevision.Expired", said)


def bundle_at(session: Session, row: tables.Topology, revision: int) -> dict[str, list[Any]]:
    """The topology as it was at ``revision``, as the documents of its resource rows."""
    if revision == row.revision:
        raise AwsError(
            "InvalidParameterValue",
            message("store.revision.current", revision=revision),
        )
    if not 1 <= revision < row.revision:
        raise AwsError(
            "InvalidRevision.NotFound",
            message("store.revision.not_found", revision=revision, latest=row.revision),
        )
    entries = session.exec(
        select(tables.TopologyRevision.revision, tables.TopologyRevision.undo)
        .where(
            tables.TopologyRevision.topology_id == row.id,
            tables.TopologyRevision.revision > revision,
        )
        .order_by(col(tables.TopologyRevision.revision).desc())
    ).all()
    if [r for r, _ in entries] != list(range(row.revision, revision, -1)):
        kept = [r for r, _ in entries]
        oldest = _oldest_restorable(kept, row.revision)
        raise not_kept(revision, oldest)
    documents: dict[str, dict[str, Any]] = {}
    for kind, row_type in tables.ROW_OF_KIND.items():
        found = session.exec(
            select(row_type.resource_id, row_type.document).where(row_type.topology_id == row.id)
        ).all()
        documents[kind] = dict(found)
    for _, blob in entries:
        for kind, images in decode(blob).items():
            for rid, image in images.items():
                if image is None:
                    documents[kind].pop(rid, None)
                else:
                    documents[kind][rid] = image["document"]
    return {BUNDLE_KEYS[kind]: list(docs.values()) for kind, docs in documents.items()}


def _oldest_restorable(kept: list[int], current: int) -> int | None:
    """The oldest revision whose every later revision is kept (``kept``: newest first)."""
    expected = current
    for revision in kept:
        if revision != expected:
            break
        expected -= 1
    oldest = max(expected, 1)  # every revision above ``expected`` is kept
    return oldest if oldest < current else None
