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
from app.db import tables
from app.engine import AwsError
from app.engine.messages import message
from app.labs.custom import STATE_CHOICES

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


# ---- an assignment made from one of the instructor's own topologies ---------------------------
FLOW_ROWS = 5  # flow checks the form offers (an empty row is skipped)


def _end_spec(choice: str, address: str) -> Any:
    """An end of a flow as the lab files write it: ``internet``, an address outside, or the
    instance at a private address (``{instance: {private_ip: …}}``: by role, not by id)."""
    if choice == "address":
        return address.strip()
    if choice.startswith("instance:"):
        return {"instance": {"private_ip": choice.removeprefix("instance:")}}
    return choice  # "internet", or anything else for parse_check to refuse


def _port(value: str) -> Any:
    value = value.strip()
    return int(value) if value.isdigit() else value


def form_checks(values: dict[str, Any]) -> list[Any]:
    """The raw check specs of the form: its flow rows with a protocol, then the state checks
    ticked (a state key the select does not know is passed on as a kind: refused)."""
    specs: list[Any] = []
    for row in range(FLOW_ROWS):
        field = f"flow-{row}-"
        protocol = str(values.get(field + "protocol", "")).strip()
        if not protocol:
            continue
        flow: dict[str, Any] = {
            "from": _end_spec(
                str(values.get(field + "from", "")), str(values.get(field + "from_address", ""))
            ),
            "to": _end_spec(
                str(values.get(field + "to", "")), str(values.get(field + "to_address", ""))
            ),
            "protocol": protocol,
            "expect": str(values.get(field + "expect", "")),
        }
        if protocol != "icmp" or str(values.get(field + "port", "")).strip():
            flow["port"] = _port(str(values.get(field + "port", "")))
        specs.append({"flow": flow})
    for key in sorted(values):
        if key.startswith("state-") and values[key]:
            choice = key.removeprefix("state-")
            specs.append(
                STATE_CHOICES[choice][0] if choice in STATE_CHOICES else {"state": {choice: {}}}
            )
    return specs


def custom_form(
    request: Request,
    room: tables.Classroom,
    topology_id: str,
    *,
    values: dict[str, Any] | None = None,
    error: AwsError | None = None,
    status: int = 200,
) -> Response:
    topology, instances = store_for(request).own_topology_instances(topology_id)
    return render(
        request,
        "assignment_new.html",
        {
            "room": room,
            "topology": topology,
            "instances": instances,
            "rows": range(FLOW_ROWS),
            "state_choices": STATE_CHOICES,
            "values": values or {},
            "error": error,
        },
        status_code=status,
    )


@router.get("/classes/{class_id}/assignments/new", response_class=HTMLResponse)
def new_custom_assignment(request: Request, class_id: int, topology_id: str = "") -> Response:
    """The form of an assignment made from one of the instructor's own topologies (404 for
    any other topology)."""
    _actor, room = own_class(request, class_id)
    return custom_form(request, room, topology_id[:64])


@router.post("/classes/{class_id}/assignments/custom")
def create_custom_assignment(request: Request, class_id: int, values: FormValues) -> Response:
    _actor, room = own_class(request, class_id)
    assert room.id is not None
    topology_id = str(values.get("topology_id", ""))[:64]
    try:
        made = store_for(request).create_custom_assignment(
            room.id,
            topology_id=topology_id,
            title=str(values.get("title", "")),
            text=str(values.get("text", "")),
            checks=form_checks(values),
            opens_at=form_time(str(values.get("opens_at", "")), default=datetime.now(UTC))
            or datetime.now(UTC),
            due_at=form_time(str(values.get("due_at", "")), default=None),
        )
    except AwsError as error:
        if error.code.endswith("NotFound"):
            raise
        shown = {k: v for k, v in values.items() if k != "csrf_token"}
        return custom_form(
            request, room, topology_id, values=shown, error=error, status=status_for(error)
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
