"""The instructor's classes (classroom mode): students one by one, a CSV roster, a join code,
a new password for a student; and /join, where a student with a class's code makes an account.

A class is its instructor's alone: another user asking for it gets the same 404 as for a class
that does not exist. First passwords are generated here, shown in one answer (to print or
download as CSV) and never again: the database keeps their Argon2id hashes.
"""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from app import i18n
from app.accounts.actor import Actor
from app.accounts.store import (
    Classes,
    NewAccount,
    Refused,
    RosterRow,
    parse_roster,
    read_roster,
    show_join_code,
)
from app.api.deps import store_for
from app.db import tables
from app.engine import AwsError
from app.labs import all_labs
from app.throttle import TooManyRequests

from .accounts import _say, accounts, classroom, see_other, signed_in, start_session
from .language import N_
from .pages import FormValues
from .render import render

router = APIRouter(include_in_schema=False)

MAX_ROSTER_BYTES = 256 * 1024


def classes(request: Request) -> Classes:
    return Classes(accounts(request))


def instructor(request: Request) -> Actor:
    actor = signed_in(request)
    if actor is None or not actor.is_instructor:
        raise HTTPException(404)
    return actor


def own_class(request: Request, class_id: int) -> tuple[Actor, tables.Classroom]:
    actor = instructor(request)
    room = classes(request).get(actor.user_id, class_id)
    if room is None:
        raise HTTPException(404)
    return actor, room


def once(response: HTMLResponse) -> HTMLResponse:
    """An answer holding passwords: no cache may keep it."""
    response.headers["Cache-Control"] = "no-store"
    return response


# ---- classes ------------------------------------------------------------------------------------
@router.get("/classes", response_class=HTMLResponse)
def class_list(request: Request) -> Response:
    actor = instructor(request)
    return render(
        request, "classes.html", {"classes": classes(request).of(actor.user_id), "error": ""}
    )


@router.post("/classes")
def create_class(request: Request, values: FormValues) -> Response:
    actor = instructor(request)
    try:
        class_id = classes(request).create(actor.user_id, str(values.get("name", "")))
    except Refused as error:
        return render(
            request,
            "classes.html",
            {"classes": classes(request).of(actor.user_id), "error": _say(error)},
            status_code=400,
        )
    return see_other(f"/classes/{class_id}")


def class_page(
    request: Request,
    room: tables.Classroom,
    *,
    error: Refused | None = None,
    values: dict[str, Any] | None = None,
    notice: str = "",
    status: int = 200,
    assignment_error: AwsError | None = None,
) -> HTMLResponse:
    assert room.id is not None
    store = store_for(request)
    return render(
        request,
        "class.html",
        {
            "room": room,
            "students": classes(request).students(room.id),
            # Each student's topologies, to open read-only (the store as the instructor sees it).
            "labs": store.class_labs(room.id)["students"],
            # The assignments given, and the guided labs to give (app/web/assignments.py).
            "assignments": store.class_assignments(room.id),
            "guided_labs": list(all_labs().values()),
            "own_topologies": store.list_topologies(),
            "assignment_error": assignment_error,
            "join_code": show_join_code(room.join_code) if room.join_code else "",
            "error": _say(error),
            "error_field": error.field if error else "",
            "values": values or {},
            "notice": notice,
        },
        status_code=status,
    )


CLASS_NOTICES = {
    "code": N_("A new join code: the previous one no longer works."),
    "off": N_("Joining with a code is turned off."),
}


@router.get("/classes/{class_id}", response_class=HTMLResponse)
def show_class(request: Request, class_id: int, done: str = "") -> Response:
    _actor, room = own_class(request, class_id)
    return class_page(request, room, notice=CLASS_NOTICES.get(done, ""))


def passwords_page(
    request: Request, room: tables.Classroom, made: list[NewAccount], title: str
) -> HTMLResponse:
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(["login", "display_name", "password"])
    for account in made:
        writer.writerow([account.login, account.display_name, account.password])
    return once(
        render(
            request,
            "passwords.html",
            {"room": room, "made": made, "title": title, "csv": table.getvalue()},
            status_code=201,
        )
    )


@router.post("/classes/{class_id}/students")
def add_student(request: Request, class_id: int, values: FormValues) -> Response:
    _actor, room = own_class(request, class_id)
    assert room.id is not None
    try:
        made = classes(request).add_student(
            room.id, str(values.get("login", "")), str(values.get("display_name", ""))
        )
    except Refused as error:
        return class_page(request, room, error=error, values=values, status=400)
    return passwords_page(request, room, [made], N_("Student added"))


# ---- roster -------------------------------------------------------------------------------------
def roster_problems(rows: list[RosterRow]) -> list[dict[str, Any]]:
    said = []
    for row in rows:
        for problem in row.problems:
            text = i18n.gettext(problem)
            said.append(
                {
                    "line": row.line,
                    "login": row.login,
                    "text": text % row.params if "%(" in text else text,
                }
            )
    return said


@router.post("/classes/{class_id}/roster", response_class=HTMLResponse)
async def roster_preview(
    request: Request,
    class_id: int,
    roster: Annotated[UploadFile | None, File()] = None,
    text: Annotated[str, Form()] = "",
) -> Response:
    """What the roster would add, or why it cannot: nothing is written yet."""
    data = await roster.read(MAX_ROSTER_BYTES + 1) if roster is not None else b""
    return await _in_thread(_roster_preview, request, class_id, data, text)


async def _in_thread(function: Any, *args: Any) -> Any:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(function, *args)


def _roster_preview(request: Request, class_id: int, data: bytes, text: str) -> Response:
    _actor, room = own_class(request, class_id)
    try:
        if len(data) > MAX_ROSTER_BYTES:
            raise Refused(N_("The roster is larger than 256 KB."), "roster")
        content = read_roster(data) if data else text
        rows = parse_roster(content)
        if not rows:
            raise Refused(
                N_("The roster holds no student: one line per student, login,display_name."),
                "roster",
            )
    except Refused as error:
        return class_page(request, room, error=error, status=400)
    problems = roster_problems(rows)
    return render(
        request,
        "roster.html",
        {"room": room, "rows": rows, "problems": problems, "content": content},
        status_code=400 if problems else 200,
    )


@router.post("/classes/{class_id}/roster/import")
def roster_import(request: Request, class_id: int, values: FormValues) -> Response:
    _actor, room = own_class(request, class_id)
    assert room.id is not None
    content = str(values.get("content", ""))
    try:
        rows = parse_roster(content)
        made = classes(request).add_students(room.id, rows)
    except Refused as error:
        rows = locals().get("rows") or []
        problems = roster_problems(rows) or [{"line": "", "login": "", "text": _say(error)}]
        return render(
            request,
            "roster.html",
            {"room": room, "rows": rows, "problems": problems, "content": content},
            status_code=400,
        )
    return passwords_page(request, room, made, N_("Roster imported"))


@router.post("/classes/{class_id}/passwords.csv")
def passwords_csv(request: Request, class_id: int, values: FormValues) -> Response:
    """The passwords page's table as a file: sent back from the page itself (the server kept
    no password to send)."""
    _actor, room = own_class(request, class_id)
    return Response(
        str(values.get("csv", "")).encode("utf-8-sig"),  # a BOM, so Excel reads it as UTF-8
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="class-{room.id}-passwords.csv"',
            "Cache-Control": "no-store",
        },
    )


# ---- join code ----------------------------------------------------------------------------------
@router.post("/classes/{class_id}/join-code")
def join_code(request: Request, class_id: int, values: FormValues) -> Response:
    _actor, room = own_class(request, class_id)
    assert room.id is not None
    on = values.get("action") != "off"
    classes(request).set_join_code(room.id, on)
    return see_other(f"/classes/{room.id}?done={'code' if on else 'off'}#join")


# ---- a student's new password -------------------------------------------------------------------
def member(
    request: Request, class_id: int, student_id: int
) -> tuple[tables.Classroom, tables.Account]:
    _actor, room = own_class(request, class_id)
    assert room.id is not None
    student = classes(request).student(room.id, student_id)
    if student is None:
        raise HTTPException(404)
    return room, student


@router.get("/classes/{class_id}/students/{student_id}/reset", response_class=HTMLResponse)
def reset_confirm(request: Request, class_id: int, student_id: int) -> Response:
    room, student = member(request, class_id, student_id)
    return render(
        request,
        "confirm.html",
        {
            "title": N_("Give this student a new password?"),
            "message": i18n.gettext(
                "%(name)s (%(login)s) gets a new password, shown to you once. Their current "
                "password stops working and they are signed out everywhere; they choose a "
                "password of their own at their next sign-in."
            )
            % {"name": student.display_name, "login": student.login},
            "action": f"/classes/{room.id}/students/{student.id}/reset",
            "button": N_("Reset password"),
            "back": f"/classes/{room.id}",
        },
    )


@router.post("/classes/{class_id}/students/{student_id}/reset")
def reset_password(request: Request, class_id: int, student_id: int) -> Response:
    room, student = member(request, class_id, student_id)
    assert student.id is not None
    password = accounts(request).reset_password(student.id)
    made = NewAccount(student.id, student.login, student.display_name, password)
    return passwords_page(request, room, [made], N_("New password"))


# ---- join ---------------------------------------------------------------------------------------
def join_page(
    request: Request,
    *,
    values: dict[str, Any] | None = None,
    error: str = "",
    error_field: str = "",
    status: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "join.html",
        {"values": values or {}, "error": error, "error_field": error_field},
        status_code=status,
    )


@router.get("/join", response_class=HTMLResponse)
def join_form(request: Request, code: str = "") -> Response:
    if not classroom(request):
        return see_other("/")
    return join_page(request, values={"code": code})


@router.post("/join")
def join(request: Request, values: FormValues) -> Response:
    if not classroom(request):
        return see_other("/")
    limits = request.app.state.rate_limits
    client = request.client.host if request.client else "unknown"
    shown = {k: v for k, v in values.items() if k in ("code", "login", "display_name")}
    try:
        limits.take("login-address", client, count=False)
        try:
            account_id = classes(request).join(
                str(values.get("code", "")),
                str(values.get("login", "")),
                str(values.get("display_name", "")),
                str(values.get("password", "")),
                str(values.get("confirm", "")),
            )
        except Refused as error:
            if error.field == "code":
                limits.take("login-address", client)  # guessing codes counts as failing
            return join_page(
                request, values=shown, error=_say(error), error_field=error.field, status=400
            )
    except TooManyRequests as error:
        message = i18n.gettext(
            "Too many wrong join codes from this computer: wait %(seconds)d seconds and try again."
        ) % {"seconds": error.retry_after}
        return join_page(request, values=shown, error=message, status=429)
    response = see_other("/")
    start_session(request, response, account_id)
    return response
