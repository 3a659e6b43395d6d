"""Guided labs (docs/labs.md): the labs, starting one, and a lab topology's step with its checks
evaluated on the network as it is now."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from app import labs
from app.db.guided import find_lab
from app.engine.checks import CheckResult
from app.i18n import negotiate, reading, say_explanation, say_fix, say_note
from app.labs import challenge
from app.labs.challenge import ChallengeView
from app.labs.progress import Checked, Progress

from .deps import StoreDep, TopologyId
from .schemas import LabStart, LabStep

router = APIRouter(tags=["guided labs"])
LabId = Annotated[str, Path(min_length=1, max_length=64, description="Lab id (its file name)")]


def text_json(text: labs.Text) -> dict[str, str]:
    return {"en": text.en, "ja": text.ja}


def lab_summary(lab: labs.Lab) -> dict[str, Any]:
    return {
        "id": lab.id,
        "title": text_json(lab.title),
        "goal": text_json(lab.goal),
        "start": lab.start,
        "region": lab.region,
        "step_count": len(lab.steps),
    }


def step_json(step: labs.Step) -> dict[str, Any]:
    return {
        "id": step.id,
        "title": text_json(step.title),
        "instructions": text_json(step.instructions),
        "hints": [text_json(h) for h in step.hints],
        "checks": [{"id": c.id, "says": text_json(c.says)} for c in step.checks],
    }


def first_explanation(result: CheckResult) -> dict[str, Any] | None:
    """What blocks a failed flow check: the analysis's first explanation, in the reader's
    language (the same words as the trace of "test connection")."""
    if result.passed or result.analysis is None or not result.analysis.explanations:
        return None
    explanation = result.analysis.explanations[0].to_dict()
    return {
        "code": explanation["code"],
        "component": explanation["component"],
        "message": say_explanation(explanation),
        "suggested_fix": say_fix(explanation),
    }


def checked_json(checked: Checked) -> dict[str, Any]:
    result = checked.result
    data: dict[str, Any] = {
        "id": checked.check.id,
        "says": text_json(checked.check.says),
        "kind": "flow" if checked.is_flow else "state",
        "passed": result.passed,
        "code": result.code,
        "params": result.params,
    }
    explanation = first_explanation(result)
    if explanation is not None:
        data["explanation"] = explanation
    return data


def challenge_json(view: ChallengeView, *, everything: bool) -> dict[str, Any]:
    """A challenge's faults, found or not, and its score. A fault's component is shown once a
    hint named it, the whole fault after the second hint; ``everything`` (an instructor
    reading a student's lab) shows every fault in full."""
    faults = []
    for f in view.faults:
        data: dict[str, Any] = {"found": f.found, "hints": f.hints}
        if everything or f.hints >= 1:
            data["component"] = {"id": f.fault.component, "kind": f.kind}
        if everything or f.hints >= challenge.HINTS_PER_FAULT:
            data["code"] = f.fault.code
            data["message"] = say_note(f.fault.said)
        faults.append(data)
    return {
        "faults_injected": len(view.faults),
        "found": view.found,
        "hints": view.hints,
        "hint_cost": challenge.HINT_COST,
        "score": view.score,
        "faults": faults,
    }


def progress_json(
    topology: dict[str, Any], progress: Progress, *, everything: bool = False
) -> dict[str, Any]:
    step = progress.current
    extra: dict[str, Any] = {}
    if progress.challenge is not None:
        extra["challenge"] = challenge_json(progress.challenge, everything=everything)
    return extra | {
        "topology_id": topology["id"],
        "lab": lab_summary(progress.lab),
        "step": progress.step,  # 0-based; equal to lab.steps once the lab is complete
        "complete": progress.done,
        "progress": progress.percent,
        "current": step_json(step) if step is not None else None,
        "checks": [checked_json(c) for c in progress.checks],
        "can_advance": progress.all_pass,
    }


@router.get("/labs")
def list_labs() -> dict[str, Any]:
    """The guided labs: id, title and goal in English and Japanese, and how many steps."""
    return {"labs": [lab_summary(lab) for lab in labs.all_labs().values()]}


@router.get("/labs/{lab_id}")
def get_lab(lab_id: LabId) -> dict[str, Any]:
    """One guided lab with its steps, their instructions, hints and what each check says."""
    lab = find_lab(lab_id)
    return lab_summary(lab) | {"steps": [step_json(s) for s in lab.steps]}


@router.post("/labs/{lab_id}/start", status_code=201)
def start_lab(
    lab_id: LabId, request: Request, store: StoreDep, body: LabStart | None = None
) -> dict[str, Any]:
    """A new topology of your own from the lab's starting point, on its first step."""
    lab = find_lab(lab_id)
    language = negotiate(None, request.headers.get("accept-language"))
    name = body.name if body and body.name else lab.title.in_language(language)
    return store.start_lab(lab_id, name[:200])


def lab_answer(request: Request, store: StoreDep, topology_id: str) -> dict[str, Any]:
    topology, progress = store.lab_progress(topology_id)
    # The owner solves the challenge; whoever else may read it (an instructor) sees its faults.
    everything = progress.challenge is not None and not store.access(topology_id)["writable"]
    with reading(negotiate(None, request.headers.get("accept-language"))):
        return progress_json(topology, progress, everything=everything)


@router.get("/topologies/{topology_id}/lab")
def get_topology_lab(topology_id: TopologyId, request: Request, store: StoreDep) -> dict[str, Any]:
    """The lab the topology follows, the step shown and each of its checks evaluated now
    (404 for a topology that follows no lab)."""
    return lab_answer(request, store, topology_id)


@router.post("/topologies/{topology_id}/lab/next")
def next_step(topology_id: TopologyId, request: Request, store: StoreDep) -> dict[str, Any]:
    """On to the next step when every check of the step shown passes (409 IncorrectState,
    nothing written, otherwise)."""
    store.next_lab_step(topology_id)
    return lab_answer(request, store, topology_id)


@router.post("/topologies/{topology_id}/lab/step")
def go_to_step(
    topology_id: TopologyId, body: LabStep, request: Request, store: StoreDep
) -> dict[str, Any]:
    """Show an earlier step, or a later one when every step before it passes (409 otherwise)."""
    store.set_lab_step(topology_id, body.step)
    return lab_answer(request, store, topology_id)


@router.post("/topologies/{topology_id}/lab/hint")
def take_hint(topology_id: TopologyId, request: Request, store: StoreDep) -> dict[str, Any]:
    """A troubleshooting challenge's next hint (−10 points): the first fault not found yet is
    named by its component, then said in full (409 IncorrectState when none is left)."""
    store.take_challenge_hint(topology_id)
    return lab_answer(request, store, topology_id)
