"""Assignments as pages (classroom mode): the instructor gives a guided lab to a class from the
class page and follows it on a dashboard (students × checks, grades now and at the due date,
CSV); a student starts their own copy from the topologies page.

Plain forms (POST, then 303); the class is its instructor's alone (``own_class``: 404 for
anybody else), an assignment its class's students' (the store's 404 for anybody else).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.api.deps import store_for
from app.api.errors import status_for
from app.engine import AwsError
from app.engine.messages import message

from .classes import class_page, own_class
from .pages import FormValues, StoreDep, see_other, topologies_page
from .render import render

router = APIRouter(include_in_schema=False)


def form_time(value: str, *, default: datetime | None) -> datetime | None:
    """A date and time of the form (``datetime-local``: no zone; the form says UTC)."""
    value = value.strip()
    if not value:
        return default
    try:
        moment = datetime.fromisoformat(value.replace(" ", "T"))
    except ValueError:
        raise AwsError(
            "InvalidParameterValue", message("store.assignment.date", value=value[:40])
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@router.post("/classes/{class_id}/assignments")
def create_assignment(request: Request, class_id: int, values: FormValues) -> Response:
    _actor, room = own_class(request, class_id)
    assert room.id is not None
    try:
        made = store_for(request).create_assignment(
            room.id,
            lab_id=str(values.get("lab_id", "")),
            title=str(values.get("title", "")),
            variants=values.get("variants") in ("1", "on", "true"),
            opens_at=form_time(str(values.get("opens_at", "")), default=datetime.now(UTC))
            or datetime.now(UTC),
            due_at=form_time(str(values.get("due_at", "")), default=None),
        )
    except AwsError as error:
        return class_page(
            request,
            room,
            assignment_error=error,
            values={k: v for k, v in values.items() if k != "csrf_token"},
            status=status_for(error),
        )
    return see_other(f"/classes/{room.id}/assignments/{made['id']}")


def board_columns(board: dict[str, Any]) -> list[dict[str, Any]]:
    """One column per check of the lab, named by its step and place ("2.1")."""
    lab = board["assignment"]["lab"]
    if lab is None:
        return []
    return [
        {"label": f"{s + 1}.{c + 1}", "check": check}
        for s, step in enumerate(lab.steps)
        for c, check in enumerate(step.checks)
    ]


@router.get("/classes/{class_id}/assignments/{assignment_id}", response_class=HTMLResponse)
def dashboard(request: Request, class_id: int, assignment_id: int) -> Response:
    _actor, room = own_class(request, class_id)
    assert room.id is not None
    board = store_for(request).assignment_board(room.id, assignment_id)
    return render(
        request,
        "assignment.html",
        {"room": room, "board": board, "columns": board_columns(board)},
    )


@router.get("/classes/{class_id}/assignments/{assignment_id}/grades.csv")
def grades_csv(request: Request, class_id: int, assignment_id: int) -> Response:
    """Login, name, grade now, grade at the due date, steps done: UTF-8 with a BOM, so Excel
    reads Japanese names right."""
    _actor, room = own_class(request, class_id)
    assert room.id is not None
    board = store_for(request).assignment_board(room.id, assignment_id)
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(["login", "display_name", "grade_now", "grade_at_due", "steps_done"])
    for student in board["students"]:
        at_due = student["grade_at_due"]
        writer.writerow(
            [
                student["login"],
                student["display_name"],
                student["grade"],
                "" if at_due is None else at_due,
                student["steps_done"],
            ]
        )
    return Response(
        table.getvalue().encode("utf-8-sig"),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": (
                f'attachment; filename="class-{room.id}-assignment-{assignment_id}.csv"'
            ),
            "Cache-Control": "no-store",
        },
    )


@router.post("/assignments/{assignment_id}/start")
def start_assignment(request: Request, assignment_id: int, store: StoreDep) -> Response:
    try:
        topology = store.start_assignment(assignment_id)
    except AwsError as error:
        if error.code.endswith("NotFound"):
            raise
        return topologies_page(request, store, error=error, status=status_for(error))
    return see_other(f"/topologies/{topology['id']}")
