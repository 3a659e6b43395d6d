"""Assignments (classroom mode, issue 13 item 4): an instructor gives a guided lab to a class;
each student starts their own copy (a topology following the lab, linked to the assignment),
optionally a variant with addresses of its own; the grade is the share of the lab's checks
done, computed on every view, and recorded once at the first view after the due date.

``Store`` inherits these methods. A class is its instructor's alone (anybody else: the same
404 as for a class that does not exist); an assignment is seen and started by the students of
its class only. The students' topologies are read through the store's own ``_row``, so who may
read what stays decided in one place.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import object_session
from sqlmodel import Session, col, select

from app import labs
from app.engine import AwsError, Topology, import_bundle, write_bundle
from app.engine.checks import CheckSpecError
from app.engine.messages import message, text
from app.labs import custom
from app.labs.grades import Grade, grade
from app.labs.variants import lab_block, variant_block

from . import tables

if TYPE_CHECKING:
    from .store_parts import StoreParts
else:
    StoreParts = object

text("store.assignment.not_found", "The assignment '{assignment_id}' does not exist.")
text(
    "store.assignment.date",
    "'{value}' is not a date and time: give it as YYYY-MM-DD HH:MM (UTC).",
)
text("store.assignment.title", "An assignment's title is 1 to 200 characters.")
text("store.assignment.lab", "The guided lab '{lab_id}' does not exist: pick one of the list.")
text(
    "store.assignment.fixed_addresses",
    "The lab '{lab_id}' starts from the prebuilt network '{start}', whose addresses are fixed: "
    "variants need a lab built from blank. Untick variants or pick another lab.",
)
text(
    "store.assignment.check",
    "Check {number} is refused: {problem}. Nothing was created.",
)
text("store.assignment.no_check", "An assignment needs at least one check. Nothing was created.")
text("store.assignment.text", "The text for the students is at most 4000 characters.")
text(
    "store.assignment.dates",
    "The due date ({due_at}) must come after the opening date ({opens_at}).",
)
text(
    "store.assignment.not_open",
    "The assignment '{title}' opens on {opens_at} UTC: it cannot be started before. Nothing "
    "was created.",
)


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back without their zone; every one the lab writes is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def assignment_not_found(assignment_id: int) -> AwsError:
    return AwsError(
        "InvalidAssignmentID.NotFound",
        message("store.assignment.not_found", assignment_id=str(assignment_id)),
        resource_id=str(assignment_id),
    )


def shown_time(moment: datetime | None) -> str:
    return aware(moment).strftime("%Y-%m-%d %H:%M") if moment is not None else ""


def custom_lab(row: tables.Assignment) -> labs.Lab:
    """The one-step lab of an assignment made from a topology (its checks were accepted when
    it was made: they parse)."""
    assert row.id is not None and row.checks is not None and row.start is not None
    return custom.build(
        row.id,
        row.title,
        row.text or "",
        row.source_topology_id or "",
        str(row.start["region"]),
        row.checks,
    )


def lab_of_assignment(row: tables.Assignment) -> labs.Lab | None:
    return custom_lab(row) if row.checks is not None else labs.all_labs().get(row.lab_id)


def assignment_json(row: tables.Assignment) -> dict[str, Any]:
    now = utcnow()
    lab = lab_of_assignment(row)
    return {
        "id": row.id,
        "classroom_id": row.classroom_id,
        "lab_id": row.lab_id,
        "lab": lab,
        "title": row.title,
        "variants": row.variants,
        "custom": row.checks is not None,
        "text": row.text,
        "opens_at": shown_time(row.opens_at),
        "due_at": shown_time(row.due_at),
        "open": aware(row.opens_at) <= now,
        "past_due": row.due_at is not None and aware(row.due_at) <= now,
    }


@dataclass(frozen=True)
class Graded:
    """A student's copy and its grade now (None: not started)."""

    work: tables.AssignmentWork | None
    grade: Grade | None
    lab: labs.Lab | None


class Assignments(StoreParts):
    """Assignments of a class and the students' copies (mixed into ``app.db.store.Store``)."""

    # ---- the instructor -----------------------------------------------------------------------
    def _taught(self, session: Session, classroom_id: int) -> tables.Classroom:
        room = session.get(tables.Classroom, classroom_id)
        if room is None or (self.actor is not None and room.instructor_id != self.actor.user_id):
            raise AwsError(
                "InvalidClassroomID.NotFound",
                message("store.classroom.not_found", classroom_id=str(classroom_id)),
                resource_id=str(classroom_id),
            )
        return room

    def _assignment_of_class(
        self, session: Session, classroom_id: int, assignment_id: int
    ) -> tables.Assignment:
        self._taught(session, classroom_id)
        row = session.get(tables.Assignment, assignment_id)
        if row is None or row.classroom_id != classroom_id:
            raise assignment_not_found(assignment_id)
        return row

    def create_assignment(
        self,
        classroom_id: int,
        *,
        lab_id: str,
        title: str,
        variants: bool,
        opens_at: datetime,
        due_at: datetime | None,
    ) -> dict[str, Any]:
        """A new assignment of the class the actor teaches (``InvalidParameterValue`` for an
        unknown lab, an empty title or a due date before the opening, nothing written)."""
        title = title.strip()
        with self._write() as session:
            self._taught(session, classroom_id)
            lab = labs.all_labs().get(lab_id)
            if lab is None:
                raise AwsError(
                    "InvalidParameterValue", message("store.assignment.lab", lab_id=lab_id)
                )
            start = lab.start
            if variants and start != "blank":
                raise AwsError(
                    "InvalidParameterValue",
                    message("store.assignment.fixed_addresses", lab_id=lab_id, start=start),
                )
            _refuse_title(title)
            _refuse_dates(opens_at, due_at)
            row = tables.Assignment(
                classroom_id=classroom_id,
                lab_id=lab_id,
                title=title,
                variants=variants,
                opens_at=aware(opens_at),
                due_at=aware(due_at) if due_at is not None else None,
            )
            session.add(row)
            session.flush()
        return assignment_json(row)

    def create_custom_assignment(
        self,
        classroom_id: int,
        *,
        topology_id: str,
        title: str,
        text: str,
        checks: list[Any],
        opens_at: datetime,
        due_at: datetime | None,
    ) -> dict[str, Any]:
        """A new assignment of the class the actor teaches made from one of the actor's OWN
        topologies (404 for any other, a student's they may read included): its network now
        is every student's start, ``checks`` (raw specs, docs/labs.md) the one step they
        follow. ``InvalidParameterValue`` for a refused spec, an empty title, a text too long
        or dates out of order; nothing written."""
        from .store import topology_not_found

        title, text = title.strip(), text.strip()
        with self._write() as session:
            self._taught(session, classroom_id)
            source = self._row(session, topology_id)
            if source.owner_id != self.user_id:
                raise topology_not_found(topology_id)
            # Asked of the class's instructor only: anybody else has had the 404 above.
            _refuse_custom(title, text, checks, opens_at, due_at)
            start = {
                "region": source.region,
                "bundle": write_bundle(self._model(session, source)),
            }
            row = tables.Assignment(
                classroom_id=classroom_id,
                lab_id="",
                title=title,
                variants=False,
                opens_at=aware(opens_at),
                due_at=aware(due_at) if due_at is not None else None,
                source_topology_id=source.id,
                start=start,
                text=text,
                checks=list(checks),
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            row.lab_id = custom.lab_id(row.id)
            session.add(row)
        return assignment_json(row)

    def own_topology_instances(
        self, topology_id: str
    ) -> tuple[dict[str, Any], list[dict[str, str]]]:
        """One of the actor's OWN topologies (404 for any other) and its instances that are
        not terminated, in id order: the ends an assignment's flow checks may name."""
        from .store import topology_json, topology_not_found

        with self._read() as session:
            row = self._row(session, topology_id)
            if row.owner_id != self.user_id:
                raise topology_not_found(topology_id)
            model = self._model(session, row)
        found = []
        for instance in sorted(model.instances.values(), key=lambda i: i.instance_id):
            eni = model.primary_eni(instance.instance_id)
            if instance.state == "terminated" or eni is None:
                continue
            found.append(
                {
                    "instance_id": instance.instance_id,
                    "name": instance.name or "",
                    "private_ip": str(eni.primary_ip),
                }
            )
        return topology_json(row), found

    def _assignment_lab(self, topology: tables.Topology) -> labs.Lab | None:
        """The synthetic lab ``assignment-<id>`` the copy ``topology`` follows (None: a lab
        from the files). Read whoever asks: the copy's own access was checked. In the
        topology's own session when it has one (a write may hold it)."""
        number = custom.assignment_of(topology.lab or "")
        if number is None:
            return None
        session = object_session(topology)
        if isinstance(session, Session):
            row = session.get(tables.Assignment, number)
        else:
            with self._read() as own:
                row = own.get(tables.Assignment, number)
        if row is None or row.checks is None:
            from .guided import lab_not_found

            raise lab_not_found(topology.lab or "")
        return custom_lab(row)

    def class_assignments(self, classroom_id: int) -> list[dict[str, Any]]:
        with self._read() as session:
            self._taught(session, classroom_id)
            rows = session.exec(
                select(tables.Assignment)
                .where(tables.Assignment.classroom_id == classroom_id)
                .order_by(col(tables.Assignment.opens_at), col(tables.Assignment.id))
            ).all()
        return [assignment_json(r) for r in rows]

    def assignment_board(self, classroom_id: int, assignment_id: int) -> dict[str, Any]:
        """The assignment and each student of the class with their grade now and at the due
        date, each check of the lab done or not, and the steps done (the dashboard, the CSV)."""
        with self._read() as session:
            row = self._assignment_of_class(session, classroom_id, assignment_id)
            students = session.exec(
                select(tables.Account)
                .join(tables.Membership, col(tables.Membership.account_id) == tables.Account.id)
                .where(tables.Membership.classroom_id == classroom_id)
                .order_by(col(tables.Account.login))
            ).all()
            works = {
                w.account_id: w
                for w in session.exec(
                    select(tables.AssignmentWork).where(
                        tables.AssignmentWork.assignment_id == assignment_id
                    )
                ).all()
            }
            graded = {s.id: self._graded(session, works.get(s.id or 0)) for s in students}
        self._record_due_grades(row, list(graded.values()))
        return {
            "assignment": assignment_json(row),
            "students": [
                {
                    "id": s.id,
                    "login": s.login,
                    "display_name": s.display_name or s.login,
                    **self._grade_json(graded[s.id], row),
                }
                for s in students
            ],
        }

    # ---- the student --------------------------------------------------------------------------
    def my_assignments(self) -> list[dict[str, Any]]:
        """The assignments of the actor's classes, each with their copy and its grade."""
        with self._read() as session:
            rows = session.exec(
                select(tables.Assignment)
                .join(
                    tables.Membership,
                    col(tables.Membership.classroom_id) == tables.Assignment.classroom_id,
                )
                .where(tables.Membership.account_id == self.user_id)
                .order_by(col(tables.Assignment.opens_at), col(tables.Assignment.id))
            ).all()
            graded = [
                (
                    row,
                    self._graded(
                        session, session.get(tables.AssignmentWork, (row.id, self.user_id))
                    ),
                )
                for row in rows
            ]
        found = []
        for row, mine in graded:
            self._record_due_grades(row, [mine])
            found.append(assignment_json(row) | self._grade_json(mine, row))
        return found

    def _visible_assignment(self, session: Session, assignment_id: int) -> tables.Assignment:
        row = session.exec(
            select(tables.Assignment)
            .join(
                tables.Membership,
                col(tables.Membership.classroom_id) == tables.Assignment.classroom_id,
            )
            .where(tables.Assignment.id == assignment_id)
            .where(tables.Membership.account_id == self.user_id)
        ).first()
        if row is None:
            raise assignment_not_found(assignment_id)
        return row

    def start_assignment(self, assignment_id: int) -> dict[str, Any]:
        """The actor's copy of the assignment: made the first time (a topology following its
        lab, a variant's seed drawn when the assignment has variants), the same one after.
        404 for anybody not in the assignment's class; 409 ``IncorrectState`` before it
        opens (nothing created)."""
        from .store import topology_json

        with self._read() as session:
            row = self._visible_assignment(session, assignment_id)
            work = session.get(tables.AssignmentWork, (assignment_id, self.user_id))
            if work is not None:
                return topology_json(self._row(session, work.topology_id))
            if aware(row.opens_at) > utcnow():
                raise AwsError(
                    "IncorrectState",
                    message(
                        "store.assignment.not_open",
                        title=row.title,
                        opens_at=shown_time(row.opens_at),
                    ),
                    resource_id=str(assignment_id),
                )
            taken = session.exec(
                select(tables.AssignmentWork.seed).where(
                    tables.AssignmentWork.assignment_id == assignment_id
                )
            ).all()
        lab = lab_of_assignment(row)
        if lab is None:
            raise AwsError(
                "InvalidParameterValue", message("store.assignment.lab", lab_id=row.lab_id)
            )
        seed = _new_seed(lab, [s for s in taken if s is not None]) if row.variants else None
        if row.checks is not None and row.start is not None:
            # The instructor's network as it was when the assignment was made; no template
            # (a reset is refused: its first revision is this start, to restore).
            region = str(row.start["region"])
            built, _ = import_bundle(Topology(region=region), row.start["bundle"], rules=False)
            topology = self.create_topology(
                name=row.title, region=region, template=None, lab=lab.id, built=built
            )
        else:
            # As any start of the lab (start_lab: whatever a lab's start does, it does here).
            topology = self.start_lab(lab.id, row.title)
        try:
            with self._write() as session:
                session.add(
                    tables.AssignmentWork(
                        assignment_id=assignment_id,
                        account_id=self.user_id,
                        topology_id=topology["id"],
                        seed=seed,
                    )
                )
        except IntegrityError:  # started at the same instant in another tab: theirs stands
            self.delete_topology(topology["id"])
            return self.start_assignment(assignment_id)
        return topology

    # ---- grades -------------------------------------------------------------------------------
    def _graded(self, session: Session, work: tables.AssignmentWork | None) -> Graded:
        if work is None:
            return Graded(None, None, None)
        topology = self._row(session, work.topology_id)
        lab = self._lab_of(topology)
        return Graded(work, grade(lab, topology.lab_step, self._model(session, topology)), lab)

    def _keep_grade_at_due(self, session: Session, row: tables.Topology) -> None:
        """Before the first change to an assignment's copy after its due date, the grade as it
        stands is kept as the grade at the due date (called by ``Store._row`` for every write,
        in the change's own transaction: a refused change keeps nothing, and the next one
        does). Nothing changed since the due date, so this is the grade at it, exactly."""
        if row.lab is None:
            return  # every copy of an assignment follows a lab: most writes ask nothing more
        work = session.exec(
            select(tables.AssignmentWork)
            .where(tables.AssignmentWork.topology_id == row.id)
            .where(col(tables.AssignmentWork.grade_at_due).is_(None))
        ).first()
        if work is None:
            return
        assignment = session.get(tables.Assignment, work.assignment_id)
        if assignment is None or assignment.due_at is None or aware(assignment.due_at) > utcnow():
            return
        late = aware(work.created_at) > aware(assignment.due_at)
        lab = self._lab_of(row)
        percent = 0 if late else grade(lab, row.lab_step, self._model(session, row)).percent
        work.grade_at_due, work.graded_at = percent, utcnow()
        session.add(work)

    def _record_due_grades(self, row: tables.Assignment, graded: list[Graded]) -> None:
        """At the first view after the due date, each copy's grade then is kept (once: a
        later view does not change it), as it is before the first change after it
        (``_keep_grade_at_due``): either way the grade at the due date itself."""
        if row.due_at is None or aware(row.due_at) > utcnow():
            return
        pending = [g for g in graded if g.work is not None and g.work.grade_at_due is None]
        if not pending:
            return
        moment = utcnow()
        with self._write() as session:
            for g in pending:
                assert g.work is not None and g.grade is not None
                # A copy started after the due date had nothing done at it.
                late = aware(g.work.created_at) > aware(row.due_at)
                percent = 0 if late else g.grade.percent
                session.execute(
                    update(tables.AssignmentWork)
                    .where(col(tables.AssignmentWork.assignment_id) == g.work.assignment_id)
                    .where(col(tables.AssignmentWork.account_id) == g.work.account_id)
                    .where(col(tables.AssignmentWork.grade_at_due).is_(None))
                    .values(grade_at_due=percent, graded_at=moment)
                )
                g.work.grade_at_due, g.work.graded_at = percent, moment

    @staticmethod
    def _grade_json(graded: Graded, row: tables.Assignment) -> dict[str, Any]:
        if graded.work is None or graded.grade is None:
            past_due = row.due_at is not None and aware(row.due_at) <= utcnow()
            return {
                "started": False,
                "topology_id": None,
                "grade": 0,
                "grade_at_due": 0 if past_due else None,
                "steps_done": 0,
                "step_count": 0,
                "passed": {},
                "network": None,
            }
        block = lab_block(graded.lab) if graded.lab is not None else None
        return {
            "started": True,
            "topology_id": graded.work.topology_id,
            "grade": graded.grade.percent,
            "grade_at_due": graded.work.grade_at_due,
            "steps_done": graded.grade.steps_done,
            "step_count": graded.grade.step_count,
            "passed": graded.grade.passed,
            "network": str(block) if block is not None else None,
        }

    # ---- variants -----------------------------------------------------------------------------
    def _variant_seed(self, row: tables.Topology) -> int | None:
        """The seed of the variant ``row`` is (None: the lab as written)."""
        session = object_session(row)
        query = select(tables.AssignmentWork.seed).where(
            tables.AssignmentWork.topology_id == row.id
        )
        if isinstance(session, Session):
            return session.exec(query).first()
        with self._read() as own:
            return own.exec(query).first()


def _refuse_custom(
    title: str, text: str, checks: list[Any], opens_at: datetime, due_at: datetime | None
) -> None:
    """``InvalidParameterValue`` for what a custom assignment may not be."""
    _refuse_title(title)
    if len(text) > 4000:
        raise AwsError("InvalidParameterValue", message("store.assignment.text"))
    try:
        custom.parse_specs(checks)
    except CheckSpecError as error:
        if not error.path:
            raise AwsError("InvalidParameterValue", message("store.assignment.no_check")) from None
        number = int(error.path[0]) + 1
        raise AwsError(
            "InvalidParameterValue",
            message("store.assignment.check", number=number, problem=error.problem),
        ) from None
    _refuse_dates(opens_at, due_at)


def _refuse_title(title: str) -> None:
    if not title or len(title) > 200:
        raise AwsError("InvalidParameterValue", message("store.assignment.title"))


def _refuse_dates(opens_at: datetime, due_at: datetime | None) -> None:
    if due_at is not None and aware(due_at) <= aware(opens_at):
        raise AwsError(
            "InvalidParameterValue",
            message(
                "store.assignment.dates",
                opens_at=shown_time(opens_at),
                due_at=shown_time(due_at),
            ),
        )


def _new_seed(lab: labs.Lab, taken: list[int]) -> int:
    """A seed whose network no other copy of the assignment has (while there are such)."""
    block = lab_block(lab)
    used = {variant_block(block, s) for s in taken} if block is not None else set()
    seed = secrets.randbelow(2**31)
    for _ in range(64):
        if block is None or variant_block(block, seed) not in used:
            break
        seed = secrets.randbelow(2**31)
    return seed
