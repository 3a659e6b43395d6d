"""Walking a guided lab through the REST API: every check of a step fails before the learner
does the step and passes after it (docs/labs.md). Shared by the tests of every lab."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fastapi.testclient import TestClient

from app.engine.checks import CheckResult, evaluate
from app.engine.topology import Topology
from app.labs import Lab
from tests.api.lab import Lab as ApiLab

Action = Callable[[], Any]


def start(client: TestClient, lab: Lab, name: str = "lab") -> ApiLab:
    """A topology from the lab's starting template, in its region."""
    return ApiLab(client, lab.start, name=name, region=lab.region)


def model_of(client: TestClient, topology_id: str) -> Topology:
    """The engine model of the topology's current revision, as the faces see it."""
    store = client.app.state.store  # type: ignore[attr-defined]
    return store.model(topology_id)[1]  # type: ignore[no-any-return]


def evaluate_step(
    client: TestClient, topology_id: str, lab: Lab, step_index: int
) -> dict[str, CheckResult]:
    """Each check of step ``step_index`` (0-based) on the topology, by check id."""
    model = model_of(client, topology_id)
    return {c.id: evaluate(model, c.check) for c in lab.steps[step_index].checks}


def passing(results: Mapping[str, CheckResult]) -> list[str]:
    return [check_id for check_id, result in results.items() if result.passed]


def failing(results: Mapping[str, CheckResult]) -> dict[str, tuple[str, dict[str, Any]]]:
    """The failed checks with their code and parameters (what a failure message should show)."""
    return {i: (r.code, r.params) for i, r in results.items() if not r.passed}


def walk(api: ApiLab, lab: Lab, actions: Mapping[str, Action]) -> None:
    """Do the steps in order with ``actions`` (step id → what the learner does), asserting
    every check of a step fails before its action and passes after it."""
    assert list(actions) == [step.id for step in lab.steps], "one action per step, in order"
    for index, step in enumerate(lab.steps):
        before = evaluate_step(api.client, api.id, lab, index)
        assert not passing(before), f"step {step.id}: {passing(before)} pass before it is done"
        actions[step.id]()
        after = evaluate_step(api.client, api.id, lab, index)
        assert not failing(after), f"step {step.id}: {failing(after)} fail after it is done"


def finish(api: ApiLab, lab: Lab, actions: Mapping[str, Action]) -> None:
    """Do every step (a second design), asserting each step's checks pass once it is done."""
    assert list(actions) == [step.id for step in lab.steps], "one action per step, in order"
    for index, step in enumerate(lab.steps):
        actions[step.id]()
        after = evaluate_step(api.client, api.id, lab, index)
        assert not failing(after), f"step {step.id}: {failing(after)} fail after it is done"
