"""A student's grade on a guided lab: the share of the lab's checks done (issue 13, item 4).

The checks of the steps before the one shown count as passed (the store refuses "next" until
they pass), the step shown counts the checks passing now, later steps none; a complete lab is
100%. Computed on every view from the network as it is, never stored (but for the grade
recorded at the due date, app/db/assignments.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.engine.topology import Topology

from . import Lab
from .progress import progress


@dataclass(frozen=True)
class Grade:
    """``passed``: each check of the lab by id, True when it counts as done."""

    passed: dict[str, bool]
    steps_done: int
    step_count: int

    @property
    def percent(self) -> int:
        """Rounded down: 100 only when every check is done."""
        total = len(self.passed)
        return sum(self.passed.values()) * 100 // total if total else 100


def grade(lab: Lab, step: int, model: Topology) -> Grade:
    shown = progress(lab, step, model)
    now = {c.check.id: c.result.passed for c in shown.checks}
    passed: dict[str, bool] = {}
    for index, lab_step in enumerate(lab.steps):
        for check in lab_step.checks:
            passed[check.id] = index < shown.step or now.get(check.id, False)
    return Grade(passed, min(shown.step, len(lab.steps)), len(lab.steps))
