"""Assignments (classroom mode, app/db/assignments.py) over the JSON API: a student's
assignments and starting their copy; a class's dashboard for its instructor."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import Field

from .deps import StoreDep
from .guided import text_json
from .schemas import Body, examples

router = APIRouter(tags=["assignments"])
AssignmentId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Assignment id")]
ClassId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Class id")]


def assignment_api(found: dict[str, Any]) -> dict[str, Any]:
    """The store's assignment with its lab named (English and Japanese), not the lab itself."""
    lab = found["lab"]
    shown = {k: v for k, v in found.items() if k not in ("lab", "passed")}
    return shown | {"lab_title": text_json(lab.title) if lab is not None else None}


class CustomAssignment(Body):
    model_config = examples(
        {
            "topology_id": "0123456789ab",
            "title": "Week 4: keep SSH, no ping",
            "text": "SSH must reach the web server; ping must not.",
            "checks": [
                {
                    "flow": {
                        "from": "internet",
                        "to": {"instance": {"private_ip": "192.168.1.4"}},
                        "protocol": "tcp",
                        "port": 22,
                        "expect": "reaches",
                    }
                },
                {"state": {"elastic_ip": {"associated": True}}},
            ],
        }
    )
    topology_id: str = Field(min_length=1, max_length=64)
    title: str = Field(max_length=200)
    text: str = Field(default="", max_length=4000)
    checks: list[Any] = Field(
        max_length=50, description="Check specs as a lab file writes them (docs/labs.md)"
    )
    opens_at: datetime | None = Field(default=None, description="UTC; none: open now")
    due_at: datetime | None = Field(default=None, description="UTC; none: no due date")


@router.post("/classes/{class_id}/assignments/custom", status_code=201)
def create_custom_assignment(
    class_id: ClassId, body: CustomAssignment, store: StoreDep
) -> dict[str, Any]:
    """For the class's instructor: an assignment made from one of your OWN topologies (404 for
    any other): each student starts from a copy of it as it is now and follows one step, the
    checks (400 ``InvalidParameterValue`` for a refused spec, nothing written)."""
    made = store.create_custom_assignment(
        class_id,
        topology_id=body.topology_id,
        title=body.title,
        text=body.text,
        checks=body.checks,
        opens_at=body.opens_at or datetime.now(UTC),
        due_at=body.due_at,
    )
    return assignment_api(made)


@router.get("/assignments")
def my_assignments(store: StoreDep) -> dict[str, Any]:
    """The assignments of your classes: dates (UTC), whether open, your copy (its topology,
    its network when the assignment has variants) and your grade now and at the due date."""
    return {"assignments": [assignment_api(a) for a in store.my_assignments()]}


@router.post("/assignments/{assignment_id}/start", status_code=201)
def start_assignment(assignment_id: AssignmentId, store: StoreDep) -> dict[str, Any]:
    """Your copy of the assignment: made the first time, the same topology after (409
    IncorrectState before it opens; 404 for an assignment of a class you are not in)."""
    return store.start_assignment(assignment_id)


@router.get("/classes/{class_id}/assignments/{assignment_id}")
def assignment_board(
    class_id: ClassId, assignment_id: AssignmentId, store: StoreDep
) -> dict[str, Any]:
    """For the class's instructor: each student's grade now and at the due date, the steps
    done and each check of the lab done or not (404 for anybody else)."""
    board = store.assignment_board(class_id, assignment_id)
    return {
        "assignment": assignment_api(board["assignment"]),
        "students": board["students"],
    }
