"""A lab in a topology: the step shown, its checks evaluated on the topology as it is now, and
how far the learner is (docs/labs.md, "Results").

Nothing here is stored: every view evaluates the step again, so a check is never shown as
passing once the network no longer does what it says. The faces put the results into words.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.engine import checks
from app.engine.checks import CheckResult, FlowCheck
from app.engine.topology import Topology

from . import Lab, LabCheck, Step
from .challenge import ChallengeView


@dataclass(frozen=True)
class Checked:
    """One check of the step shown, and what it found."""

    check: LabCheck
    result: CheckResult

    @property
    def is_flow(self) -> bool:
        return isinstance(self.check.check, FlowCheck)


@dataclass(frozen=True)
class Progress:
    """``step`` is the step shown, 0-based; ``len(lab.steps)`` once the lab is complete."""

    lab: Lab
    step: int
    checks: tuple[Checked, ...]
    challenge: ChallengeView | None = None  # a troubleshooting challenge's faults and score

    @property
    def total(self) -> int:
        return len(self.lab.steps)

    @property
    def done(self) -> bool:
        return self.step >= self.total

    @property
    def current(self) -> Step | None:
        return None if self.done else self.lab.steps[self.step]

    @property
    def all_pass(self) -> bool:
        """The step's checks all pass now: "next step" is offered and accepted."""
        return not self.done and all(c.result.passed for c in self.checks)

    @property
    def percent(self) -> int:
        """The share of steps completed (those before the one shown), rounded down."""
        return min(self.step, self.total) * 100 // self.total if self.total else 100


def step_results(step: Step, model: Topology) -> tuple[Checked, ...]:
    return tuple(Checked(c, checks.evaluate(model, c.check)) for c in step.checks)


def progress(lab: Lab, step: int, model: Topology) -> Progress:
    """The lab at ``step`` (clamped to the lab's steps: a lab file may have lost some since the
    topology started it), the step's checks evaluated on ``model``."""
    step = max(0, min(step, len(lab.steps)))
    found = step_results(lab.steps[step], model) if step < len(lab.steps) else ()
    return Progress(lab, step, found)


def first_failing(lab: Lab, start: int, stop: int, model: Topology) -> int | None:
    """The first step from ``start`` up to (not including) ``stop`` whose checks do not all pass
    on ``model``; None when they all do (the learner may go on to ``stop``)."""
    for index in range(start, min(stop, len(lab.steps))):
        if not all(c.result.passed for c in step_results(lab.steps[index], model)):
            return index
    return None
