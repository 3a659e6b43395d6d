"""A lab's life, as store operations: duplicate a topology, reset it to its template, list its
revisions and restore one. ``Store`` inherits them; each finds its topology with the store's own
``_row`` lookup, like every other store operation, and writes in one transaction.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, literal
from sqlmodel import col, select

from app.engine import AwsError, Topology, import_bundle
from app.engine.messages import message, text
from app.engine.templates import apply_template
from app.labs import challenge

from . import history, tables

if TYPE_CHECKING:
    from .store_parts import StoreParts
else:
    StoreParts = object


NAME_LENGTH = 200

text(
    "store.reset.no_template",
    "This topology was not created from a template (it was imported, copied from an "
    "instructor's network for an assignment, or created before the lab remembered templates), "
    "so there is nothing to reset it to. Restore one of its revisions "
    "from its history instead.",
)


def no_template(topology_id: str) -> AwsError:
    # OperationNotPermitted is EC2's code for an operation the resource's state does not allow
    # (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html): 409.
    return AwsError(
        "OperationNotPermitted",
        message("store.reset.no_template"),
        resource_id=topology_id,
    )


class LabLife(StoreParts):
    """Duplicate, reset, history and restore (mixed into ``app.db.store.Store``)."""

    # ---- duplicate ----------------------------------------------------------------------------
    def duplicate_topology(self, topology_id: str, *, name: str | None = None) -> dict[str, Any]:
        """A new topology of the asker's own (new id) with the same resources and copies of the
        saved tests of one they may read: their own ("duplicate"), or a student's lab their
        instructor reads ("copy to my labs"; the original is only read). Resource ids stay the
        same: ids are per topology."""
        from .store import topology_json

        with self._write() as session:
            source = self._row(session, topology_id, lock=True)
            chosen = f"{source.name} (copy)"[:NAME_LENGTH] if name is None else name.strip()
            if not chosen or len(chosen) > NAME_LENGTH:
                raise AwsError("InvalidParameterValue", message("store.topology.name"))
            self._check_topology_quota(session)
            copy = tables.Topology(
                id=secrets.token_hex(6),
                owner_id=self.user_id,
                name=chosen,
                region=source.region,
                revision=1,
                template=source.template,
                lab=source.lab,  # a copy of a guided lab follows it, on the same step
                lab_step=source.lab_step,
                challenge=source.challenge,  # the same faults, original and hints taken
            )
            session.add(copy)
            session.flush()
            for row_type in tables.ROW_OF_KIND.values():
                columns = ["resource_id", "vpc_id", "name", "document"]
                session.execute(
                    insert(row_type).from_select(
                        ["topology_id", *columns],
                        select(
                            literal(copy.id),
                            *(getattr(row_type, c) for c in columns),
                        ).where(col(row_type.topology_id) == source.id),
                    )
                )
            tests = session.exec(
                select(tables.Analysis)
                .where(tables.Analysis.topology_id == source.id)
                .order_by(col(tables.Analysis.id))
            ).all()
            for test in tests:
                # The same resources give the same results: they stay true of the copy.
                session.add(
                    tables.Analysis(
                        topology_id=copy.id,
                        revision=copy.revision,
                        reachable=test.reachable,
                        request=test.request,
                        result=test.result,
                    )
                )
            history.record(
                session,
                copy,
                "duplicate",
                {"source_id": source.id, "source_name": source.name, "revision": source.revision},
            )
            model = self._model(session, source)
        self._remember(copy.id, copy.revision, model)  # models are shared, never changed
        return topology_json(copy)

    # ---- reset --------------------------------------------------------------------------------
    def reset_topology(self, topology_id: str) -> dict[str, Any]:
        """Back to the template the topology was created from, as a new revision (restoring
        the one before undoes it). Saved tests are kept; a guided lab starts again at its first
        step (its checks are of a network the reset has taken away)."""
        from .store import topology_json

        with self._write() as session:
            row = self._row(session, topology_id, lock=True, write=True)
            template = row.template
            if template is None:
                raise no_template(row.id)

            state = row.challenge

            def to_template(work: Topology) -> None:
                if state is not None:  # a challenge: back to its start, faults and all
                    work.adopt(challenge.restart(state))
                    return
                fresh = Topology(region=row.region)
                apply_template(fresh, template)
                work.adopt(fresh)

            _, work = self._apply(
                session, row, to_template, what="reset", params={"template": template}
            )
            row.lab_step = 0
        self._remember(row.id, row.revision, work)
        return topology_json(row)

    # ---- history ------------------------------------------------------------------------------
    def list_revisions(self, topology_id: str) -> dict[str, Any]:
        """The kept revisions, newest first, and how many the lab keeps."""
        with self._read() as session:
            row = self._row(session, topology_id)
            return {
                "revision": row.revision,
                "kept": history.REVISIONS_KEPT,
                "revisions": history.revisions(session, row),
            }

    def restore_revision(self, topology_id: str, revision: int) -> dict[str, Any]:
        """A new revision equal to ``revision`` (history is never rewritten; saved tests are
        kept). Refused for the current revision and for one no longer kept."""
        from .store import paused_gc, topology_json

        with paused_gc(), self._write() as session:
            row = self._row(session, topology_id, lock=True, write=True)
            bundle = history.bundle_at(session, row, revision)
            target, _ = import_bundle(Topology(region=row.region), bundle, rules=False)
            _, work = self._apply(
                session,
                row,
                lambda w: w.adopt(target),
                what="restore",
                params={"revision": revision},
            )
        self._remember(row.id, row.revision, work)
        return topology_json(row)
