"""The store: topologies, their resources and analyses in the database. The only place that commits.

Every change runs an engine operation on a copy of the topology inside one write transaction
(SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: the topology row locked ``FOR UPDATE``), writes only
the rows that changed, and bumps the revision. Nothing is half-written: an ``AwsError`` rolls the
whole transaction back. The engine model of a topology is built once per revision and reused.
"""

from __future__ import annotations

import gc
import secrets
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Engine, delete, func, insert, or_, update
from sqlmodel import Session, col, select

from app.accounts.actor import LOCAL_OWNER_ID, Actor
from app.engine import AwsError, Topology, analyze, import_bundle, write_bundle
from app.engine.bundle import BUNDLE_KEYS
from app.engine.bundle.write import reservation_json, resource_json
from app.engine.messages import message, text
from app.engine.regions import AVAILABILITY_ZONES, DEFAULT_REGION
from app.engine.templates import TEMPLATES, apply_template
from app.engine.topology import KINDS
from app.engine.trace import mark_after_block

from . import history, saved_tests, tables
from .assignments import Assignments
from .guided import Guided
from .lab_life import LabLife
from .model_cache import ModelCache
from .session import writer

T = TypeVar("T")

# The store's refusals, as messages the faces say in the reader's language (the engine catalog).
text("store.topology.not_found", "The topology '{topology_id}' does not exist.")
text(
    "store.topology.read_only",
    "The topology '{topology_id}' belongs to one of your students: you can read it but not "
    "change it. Copy it to your labs to try changes.",
)
text("store.topology.name", "A topology needs a name of 1 to 200 characters.")
text("store.topology.region", "'{region}' is not a region the lab knows; choose one of {regions}.")
text(
    "store.topology.limit",
    "You have {count} topologies, the most this lab allows ({limit}); delete one you no longer "
    "need first.",
)
text("store.classroom.not_found", "The class '{classroom_id}' does not exist.")
text(
    "store.analysis.limit",
    "This topology keeps {count} saved analyses, the most it may ({limit}); delete some, or run "
    "the test without saving it.",
)
text("store.analysis.not_found", "The analysis '{analysis_id}' does not exist in this topology.")


def topology_not_found(topology_id: str) -> AwsError:
    return AwsError(
        "InvalidTopologyID.NotFound",
        message("store.topology.not_found", topology_id=topology_id),
        resource_id=topology_id,
    )


def read_only(row: tables.Topology, actor: Actor) -> AwsError:
    """An instructor may read a student's topology but never change it: a refusal that says
    so (they can see it, so a 404 would be untrue) and writes nothing."""
    return AwsError(
        "UnauthorizedOperation",
        message("store.topology.read_only", topology_id=row.id),
        resource_id=row.id,
    )


def topology_json(row: tables.Topology) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "region": row.region,
        "revision": row.revision,
        "template": row.template,
        "lab": row.lab,
        "lab_step": row.lab_step,
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
    }


def _document(topology: Topology, kind: str, resource: Any) -> dict[str, Any]:
    if kind == "instance":
        return reservation_json(topology, [resource])
    return resource_json(topology, kind, resource)


def _row_values(topology: Topology, kind: str, resource: Any) -> dict[str, Any]:
    return {
        "vpc_id": getattr(resource, "vpc_id", None),
        "name": resource.name,
        "document": _document(topology, kind, resource),
    }


_gc_pauses = 0
_gc_was_enabled = True
_gc_lock = threading.Lock()


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while a bulk operation builds tens of thousands of objects.

    Each collection of the oldest generation walks every live object (a loaded tier L is
    millions), and an import of L triggered enough of them to take ~40% of its time. Reference
    counting still frees what is dropped; the collector runs again when the last pause ends
    (pauses in several threads nest).
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
        _gc_pauses += 1
        gc.disable()
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


class Store(LabLife, Guided, Assignments):
    """Topologies persisted in ``engine`` (SQLAlchemy), with an LRU of engine models.

    Who may see and change what is decided here, in ``_row``, the one lookup every method
    goes through: ``store.for_actor(actor)`` is the store as that user sees it (pages, API,
    jobs, exports and imports all get that view); the store itself (``actor`` None) is the
    server's own, unscoped.
    """

    # None: the server's own view, every topology (only internal code and tests use it).
    actor: Actor | None = None

    def __init__(
        self,
        engine: Engine,
        *,
        cache_bytes: int = 256 * 1024 * 1024,
        max_topologies: int | None = None,
        max_analyses: int | None = None,
    ) -> None:
        """``max_topologies`` per user (personal mode has one user: every topology counts) and
        ``max_analyses`` stored per topology; None is no limit. ``cache_bytes``: how much memory
        the engine models kept between requests may take (see app.db.model_cache)."""
        self.engine = engine
        self.max_topologies = max_topologies
        self.max_analyses = max_analyses
        self._writer = writer(engine)
        self._cache = ModelCache(cache_bytes)
        # The builds under way, by (topology, revision): whoever asks for a model being built
        # waits for that build instead of starting its own (a large model is seconds of CPU).
        self._building: dict[tuple[str, int], Future[Topology]] = {}
        self._lock = threading.Lock()

    def for_actor(self, actor: Actor) -> Store:
        """This store as ``actor`` sees it: their own topologies to read and change, and for an
        instructor their classes' students' topologies to read. Shares everything else (the
        engine, the model cache) with this store."""
        return _ActorView(self, actor)

    @property
    def user_id(self) -> int:
        """Whose view this is: who a new topology (or a background job) belongs to."""
        return self.actor.user_id if self.actor is not None else LOCAL_OWNER_ID

    # ---- sessions ---------------------------------------------------------------------------
    @contextmanager
    def _read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with Session(self._writer, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    # ---- topologies -------------------------------------------------------------------------
    def create_topology(
        self,
        *,
        name: str,
        region: str = DEFAULT_REGION,
        template: str | None = "blank",
        lab: str | None = None,
        built: Topology | None = None,
        challenge: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """``lab``: the guided lab the topology follows, from its first step (``start_lab``);
        ``built``: the network to start with instead of the bare template (a challenge's, made
        from the template, faults injected) and ``challenge`` what the challenge remembers.
        ``template`` None (with ``built``): a network made from no template (a student's copy
        of an instructor's topology), which a reset refuses; its first revision stays."""
        name = name.strip()
        if not name or len(name) > 200:
            raise AwsError("InvalidParameterValue", message("store.topology.name"))
        if region not in AVAILABILITY_ZONES:
            raise AwsError(
                "InvalidParameterValue",
                message(
                    "store.topology.region",
                    region=region,
                    regions=", ".join(sorted(AVAILABILITY_ZONES)),
                ),
            )
        if template is None and built is None:
            raise ValueError("a topology made from no template needs its network (built)")
        if template is not None and template not in TEMPLATES:
            raise AwsError(
                "InvalidParameterValue",
                message(  # the engine's own words for it (apply_template refuses the same)
                    "error.templates.apply_template.InvalidParameterValue",
                    name=template,
                    TEMPLATES=", ".join(TEMPLATES),
                ),
            )
        if built is None:
            assert template is not None
            model = Topology(region=region)
            apply_template(model, template)
        else:
            model = built
        row = tables.Topology(
            id=secrets.token_hex(6),
            owner_id=self.user_id,
            name=name,
            region=region,
            revision=1,
            template=template,
            lab=lab,
            lab_step=0,
            challenge=challenge,
        )
        with self._write() as session:
            self._check_topology_quota(session)
            session.add(row)
            session.flush()
            self._insert(session, row.id, model, list(model))
            history.record(
                session,
                row,
                "create",
                ({"template": template} if template else {}) | ({"lab": lab} if lab else {}),
            )
        self._remember(row.id, row.revision, model)
        return topology_json(row)

    def _check_topology_quota(self, session: Session) -> None:
        """A topology is the lab's own notion (one account in one region): AWS has no such
        resource, so no code for its quota; ``TopologyLimitExceeded`` follows EC2's quota codes
        (``VpcLimitExceeded``, ``AddressLimitExceeded``, …). Counted in the write transaction:
        exact on SQLite (one writer at a time); on PostgreSQL two creates at the same instant
        may both pass."""
        if self.max_topologies is None:
            return
        count = session.exec(
            select(func.count())
            .select_from(tables.Topology)
            .where(tables.Topology.owner_id == self.user_id)
        ).one()
        if count >= self.max_topologies:
            raise AwsError(
                "TopologyLimitExceeded",
                message("store.topology.limit", count=count, limit=self.max_topologies),
            )

    def list_topologies(self) -> list[dict[str, Any]]:
        """The actor's own topologies (an instructor's students' are on their class's page)."""
        query = select(tables.Topology)
        if self.actor is not None:
            query = query.where(tables.Topology.owner_id == self.actor.user_id)
        with self._read() as session:
            rows = session.exec(
                query.order_by(col(tables.Topology.created_at), col(tables.Topology.id))
            ).all()
            return [topology_json(r) for r in rows]

    def get_topology(self, topology_id: str) -> dict[str, Any]:
        with self._read() as session:
            return topology_json(self._row(session, topology_id))

    def rename_topology(self, topology_id: str, name: str) -> dict[str, Any]:
        name = name.strip()
        if not name or len(name) > 200:
            raise AwsError("InvalidParameterValue", message("store.topology.name"))
        with self._write() as session:
            row = self._row(session, topology_id, lock=True, write=True)
            row.name = name
            row.updated_at = tables.now()
            session.add(row)
        return topology_json(row)

    def delete_topology(self, topology_id: str) -> None:
        with self._write() as session:
            self._row(session, topology_id, lock=True, write=True)
            for row_type in tables.ROW_OF_KIND.values():
                session.execute(delete(row_type).where(col(row_type.topology_id) == topology_id))
            session.execute(
                delete(tables.Analysis).where(col(tables.Analysis.topology_id) == topology_id)
            )
            history.forget(session, topology_id)
            session.execute(delete(tables.Topology).where(col(tables.Topology.id) == topology_id))
        with self._lock:
            self._cache.pop(topology_id, None)

    def access(self, topology_id: str) -> dict[str, Any]:
        """Whose topology this is and whether the actor may change it (an instructor reading a
        student's may not): what a page needs to show it read-only, with whose lab it is."""
        with self._read() as session:
            row = self._row(session, topology_id)
            owner = session.get(tables.Account, row.owner_id)
        writable = self.actor is None or row.owner_id == self.actor.user_id
        return {
            "writable": writable,
            "owner_id": row.owner_id,
            "owner_login": owner.login if owner else "",
            "owner_name": (owner.display_name or owner.login) if owner else "",
        }

    def check_writable(self, topology_id: str) -> None:
        """Refuse now (404, or ``UnauthorizedOperation`` for a lab the actor only reads) what
        a page would otherwise begin to show as a change."""
        with self._read() as session:
            self._row(session, topology_id, write=True)

    def class_labs(self, classroom_id: int) -> dict[str, Any]:
        """A class the actor teaches, with each student's topologies (to open read-only).
        Somebody else's class and an unknown one are the same 404."""
        actor = self.actor
        with self._read() as session:
            classroom = session.get(tables.Classroom, classroom_id)
            taught = actor is None or (classroom and classroom.instructor_id == actor.user_id)
            if classroom is None or not taught:
                raise AwsError(
                    "InvalidClassroomID.NotFound",
                    message("store.classroom.not_found", classroom_id=str(classroom_id)),
                    resource_id=str(classroom_id),
                )
            students = session.exec(
                select(tables.Account)
                .join(tables.Membership, col(tables.Membership.account_id) == tables.Account.id)
                .where(tables.Membership.classroom_id == classroom_id)
                .order_by(col(tables.Account.login))
            ).all()
            rows = session.exec(
                select(tables.Topology)
                .where(col(tables.Topology.owner_id).in_([s.id for s in students]))
                .order_by(col(tables.Topology.created_at), col(tables.Topology.id))
            ).all()
        labs: dict[int | None, list[dict[str, Any]]] = {}
        for row in rows:
            labs.setdefault(row.owner_id, []).append(topology_json(row))
        return {
            "id": classroom.id,
            "name": classroom.name,
            "students": [
                {
                    "id": s.id,
                    "login": s.login,
                    "display_name": s.display_name or s.login,
                    "topologies": labs.get(s.id, []),
                }
                for s in students
            ],
        }

    # ---- the engine model -------------------------------------------------------------------
    def model(self, topology_id: str) -> tuple[dict[str, Any], Topology]:
        """The topology's description and its engine model (shared: never change it)."""
        with self._read() as session:
            row = self._row(session, topology_id)
            return topology_json(row), self._model(session, row)

    def _model(self, session: Session, row: tables.Topology) -> Topology:
        """The model of ``row``'s revision: from the cache, from a build under way in another
        thread, or built here (once, however many requests ask at the same time)."""
        key = (row.id, row.revision)
        with self._lock:
            cached = self._cache.get(row.id, row.revision)
            if cached is not None:
                return cached
            building = self._building.get(key)
            if building is None:
                mine: Future[Topology] = Future()
                self._building[key] = mine
        if building is not None:
            return building.result()  # the other build's error too, if it fails
        try:
            model = self._build(session, row)
        except BaseException as error:
            mine.set_exception(error)
            raise
        else:
            self._remember(row.id, row.revision, model)
            mine.set_result(model)
            return model
        finally:
            with self._lock:
                del self._building[key]

    def _build(self, session: Session, row: tables.Topology) -> Topology:
        bundle: dict[str, list[Any]] = {}
        for kind, row_type in tables.ROW_OF_KIND.items():
            documents = session.exec(
                select(row_type.document).where(row_type.topology_id == row.id)
            ).all()
            bundle[BUNDLE_KEYS[kind]] = list(documents)
        model, _ = import_bundle(Topology(region=row.region), bundle, rules=False)
        return model

    def _remember(self, topology_id: str, revision: int, model: Topology) -> None:
        self._cache.put(topology_id, revision, model)

    def _row(
        self, session: Session, topology_id: str, *, lock: bool = False, write: bool = False
    ) -> tables.Topology:
        """The topology ``topology_id`` if the actor may read it (and change it: ``write``).

        The access check of the whole lab. One query finds the row only if the actor may see
        it, so an unknown id and somebody else's answer the same 404, from the same work: no
        way to learn that an id exists. An instructor asking to change a student's topology
        they can read is refused with ``UnauthorizedOperation`` before anything is written.
        """
        query = select(tables.Topology).where(tables.Topology.id == topology_id)
        visible = self._may_read()
        if visible is not None:
            query = query.where(visible)
        if lock:
            query = query.with_for_update()
        row = session.exec(query).first()
        if row is None:
            raise topology_not_found(topology_id)
        if write and self.actor is not None and row.owner_id != self.actor.user_id:
            raise read_only(row, self.actor)
        if write:
            self._keep_grade_at_due(session, row)
        return row

    def _may_read(self) -> Any:
        """The condition on ``tables.Topology`` of what the actor may read (None: everything):
        their own, and for an instructor those of the students in their classes."""
        actor = self.actor
        if actor is None:
            return None
        own = col(tables.Topology.owner_id) == actor.user_id
        if actor.role != "instructor":
            return own
        taught = (
            select(tables.Membership.account_id)
            .join(tables.Classroom, col(tables.Classroom.id) == tables.Membership.classroom_id)
            .where(tables.Classroom.instructor_id == actor.user_id)
        )
        return or_(own, col(tables.Topology.owner_id).in_(taught))

    # ---- changes ----------------------------------------------------------------------------
    def change(
        self, topology_id: str, action: Callable[[Topology], T], *, what: str | None = None
    ) -> tuple[T, Topology]:
        """Run an engine operation on a copy; keep it only if it succeeds (all or nothing).

        ``what`` names the action in the topology's history (app/db/history.py)."""
        with self._write() as session:
            row = self._row(session, topology_id, lock=True, write=True)
            result, work = self._apply(session, row, action, what=what)
        self._remember(row.id, row.revision, work)
        return result, work

    def _apply(
        self,
        session: Session,
        row: tables.Topology,
        action: Callable[[Topology], T],
        *,
        what: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> tuple[T, Topology]:
        """Inside a write transaction: ``action`` on a copy, the rows that changed written, and
        the new revision recorded in the history with what it undoes."""
        base = self._model(session, row)
        work = base.copy()
        result = action(work)
        diff = self._persist(session, row.id, base, work)
        row.revision += 1
        row.updated_at = tables.now()
        session.add(row)
        history.record(session, row, what, params, diff)
        return result, work

    def _persist(
        self, session: Session, topology_id: str, base: Topology, work: Topology
    ) -> history.Diff:
        diff = history.Diff()
        for kind in KINDS:
            before, after = base.resources[kind], work.resources[kind]
            row_type = tables.ROW_OF_KIND[kind]
            gone = [rid for rid in before if rid not in after]
            changed = [
                rid
                for rid, resource in after.items()
                if rid in before and before[rid] is not resource and before[rid] != resource
            ]
            # The rows as they are, before this change writes them: the history's undo.
            undo: dict[str, history.RowImage | None] = {}
            if gone or changed:
                undo.update(
                    (rid, {"vpc_id": vpc_id, "name": name, "document": document})
                    for rid, vpc_id, name, document in session.execute(
                        select(
                            row_type.resource_id, row_type.vpc_id, row_type.name, row_type.document
                        ).where(
                            col(row_type.topology_id) == topology_id,
                            col(row_type.resource_id).in_(gone + changed),
                        )
                    )
                )
            if gone:
                session.execute(
                    delete(row_type).where(
                        col(row_type.topology_id) == topology_id,
                        col(row_type.resource_id).in_(gone),
                    )
                )
            added = [r for rid, r in after.items() if rid not in before]
            self._insert(session, topology_id, work, added)
            for rid in changed:
                session.execute(
                    update(row_type)
                    .where(
                        col(row_type.topology_id) == topology_id,
                        col(row_type.resource_id) == rid,
                    )
                    .values(**_row_values(work, kind, after[rid]))
                )
            new_ids = [rid for rid in after if rid not in before]
            undo.update(dict.fromkeys(new_ids))
            if undo:
                diff.undo[kind] = undo
                diff.added[kind], diff.removed[kind], diff.changed[kind] = new_ids, gone, changed
        return diff

    def _insert(
        self, session: Session, topology_id: str, model: Topology, resources: list[Any]
    ) -> None:
        from app.engine.topology import KIND_OF, resource_id

        # One executemany per table (SQLAlchemy Core): an import of tier L adds ~12,000 rows,
        # and building an ORM object for each cost more than writing them.
        rows: dict[str, list[dict[str, Any]]] = {}
        for resource in resources:
            kind = KIND_OF[type(resource)]
            rows.setdefault(kind, []).append(
                {
                    "topology_id": topology_id,
                    "resource_id": resource_id(resource),
                    **_row_values(model, kind, resource),
                }
            )
        for kind, values in rows.items():
            session.execute(insert(tables.ROW_OF_KIND[kind]), values)

    # ---- bundles ----------------------------------------------------------------------------
    def import_bundle(self, topology_id: str, bundle: Any) -> dict[str, int]:
        """Add a bundle's resources, and its saved tests run again on the result (all or
        nothing). The topology no longer is its template: it cannot be reset afterwards."""
        counts: dict[str, int] = {}
        describe, tests = saved_tests.split_bundle(bundle)

        def load(work: Topology) -> None:
            merged, found = import_bundle(work, describe)
            counts.update(found)
            work.adopt(merged)

        with paused_gc(), self._write() as session:
            row = self._row(session, topology_id, lock=True, write=True)
            row.template = None
            _, work = self._apply(session, row, load, what="import", params={"tests": len(tests)})
            if tests:
                results = saved_tests.run_all(work, tests)
                self._check_analysis_quota(session, topology_id, adding=len(results))
                for request, result in zip(tests, results, strict=True):
                    session.add(self._stored_analysis(row, request, result))
                counts[saved_tests.SAVED_TESTS_KEY] = len(results)
        self._remember(row.id, row.revision, work)
        return counts

    def export_bundle(self, topology_id: str) -> dict[str, Any]:
        """The describe-* bundle, with the saved tests' requests (not their results) beside it."""
        bundle = write_bundle(self.model(topology_id)[1])
        tests = [a["request"] for a in self.list_analyses(topology_id)]
        if tests:
            bundle[saved_tests.SAVED_TESTS_KEY] = tests
        return bundle

    # ---- analyses ---------------------------------------------------------------------------
    def run_analysis(
        self, topology_id: str, request: dict[str, Any], *, keep: bool
    ) -> dict[str, Any]:
        """``keep``: store it with the topology's saved tests (a change: its owner only)."""
        with self._read() as session:
            row = self._row(session, topology_id, write=keep)
            model = self._model(session, row)
            revision = row.revision
        result = analyze(model, request).to_dict()
        if not keep:
            return result
        with self._write() as session:
            # One store at a time: an exact count.
            row = self._row(session, topology_id, lock=True, write=True)
            self._check_analysis_quota(session, topology_id)
            stored = self._stored_analysis(row, request, result, revision=revision)
            session.add(stored)
            session.flush()
            return self._analysis_json(stored)

    @staticmethod
    def _stored_analysis(
        row: tables.Topology,
        request: dict[str, Any],
        result: dict[str, Any],
        *,
        revision: int | None = None,
    ) -> tables.Analysis:
        return tables.Analysis(
            topology_id=row.id,
            revision=row.revision if revision is None else revision,
            reachable=result["reachable"],
            request=request,
            result=result,
        )

    def _check_analysis_quota(self, session: Session, topology_id: str, adding: int = 1) -> None:
        """Reachability Analyzer keeps analyses too, but no EC2 error code for their number
        could be confirmed; ``AnalysisLimitExceeded`` follows EC2's ``…LimitExceeded`` codes."""
        if self.max_analyses is None:
            return
        count = session.exec(
            select(func.count())
            .select_from(tables.Analysis)
            .where(tables.Analysis.topology_id == topology_id)
        ).one()
        if count + adding > self.max_analyses:
            raise AwsError(
                "AnalysisLimitExceeded",
                message("store.analysis.limit", count=count, limit=self.max_analyses),
            )

    def delete_analysis(self, topology_id: str, analysis_id: int) -> None:
        with self._write() as session:
            session.delete(self._analysis(session, topology_id, analysis_id, write=True))

    def list_analyses(self, topology_id: str) -> list[dict[str, Any]]:
        with self._read() as session:
            self._row(session, topology_id)
            rows = session.exec(
                select(tables.Analysis)
                .where(col(tables.Analysis.topology_id) == topology_id)
                .order_by(col(tables.Analysis.id))
            ).all()
            return [self._analysis_json(r, full=False) for r in rows]

    def get_analysis(self, topology_id: str, analysis_id: int) -> dict[str, Any]:
        with self._read() as session:
            return self._analysis_json(self._analysis(session, topology_id, analysis_id))

    def rerun_analysis(self, topology_id: str, analysis_id: int) -> dict[str, Any]:
        """Run a stored analysis again on the topology as it is now, and store the new result."""
        with self._read() as session:
            stored = self._analysis(session, topology_id, analysis_id, write=True)
            row = self._row(session, topology_id)
            model = self._model(session, row)
            revision = row.revision
        result = analyze(model, stored.request).to_dict()
        with self._write() as session:
            stored = self._analysis(session, topology_id, analysis_id, write=True)
            stored.result, stored.reachable, stored.revision = result, result["reachable"], revision
            stored.created_at = tables.now()
            session.add(stored)
            session.flush()
            return self._analysis_json(stored)

    def _analysis(
        self, session: Session, topology_id: str, analysis_id: int, *, write: bool = False
    ) -> tables.Analysis:
        """A saved test belongs to its topology: whoever may read (change) the topology may
        read (change) its saved tests, nobody else."""
        self._row(session, topology_id, write=write)
        found = session.exec(
            select(tables.Analysis).where(
                tables.Analysis.topology_id == topology_id, tables.Analysis.id == analysis_id
            )
        ).first()
        if found is None:
            raise AwsError(
                "InvalidAnalysisID.NotFound",
                message("store.analysis.not_found", analysis_id=str(analysis_id)),
            )
        return found

    @staticmethod
    def _analysis_json(row: tables.Analysis, *, full: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": row.id,
            "topology_id": row.topology_id,
            "revision": row.revision,
            "reachable": row.reachable,
            "request": row.request,
            "created_at": row.created_at.isoformat(),
        }
        if full:
            # Results stored before hops carried ``after_block`` get it as the tracer marks it.
            result = mark_after_block(row.result)
            data.update({k: v for k, v in result.items() if k not in ("request",)})
            data["request"] = result.get("request", row.request)
            data["submitted"] = row.request
        return data

    def count_resources(self, topology_id: str) -> int:
        with self._read() as session:
            self._row(session, topology_id)
            return sum(
                session.exec(
                    select(func.count())
                    .select_from(row_type)
                    .where(row_type.topology_id == topology_id)
                ).one()
                for row_type in tables.ROW_OF_KIND.values()
            )


class _ActorView(Store):
    """``Store.for_actor``: the same store, as one actor sees it. Only ``actor`` is its own;
    every other attribute is read from and written to the store it views (one model cache)."""

    def __init__(self, store: Store, actor: Actor) -> None:
        object.__setattr__(self, "_store", store)
        object.__setattr__(self, "actor", actor)

    def for_actor(self, actor: Actor) -> Store:
        return _ActorView(object.__getattribute__(self, "_store"), actor)

    def __getattr__(self, name: str) -> Any:
        return getattr(object.__getattribute__(self, "_store"), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(object.__getattribute__(self, "_store"), name, value)
