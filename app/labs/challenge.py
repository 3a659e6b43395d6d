"""Troubleshooting challenges (docs/labs.md): a lab with ``challenge: {faults: N}`` starts from
its working template with N faults injected (app/engine/faults.py), drawn with a seed per
learner. The topology remembers, as JSON (``topology.challenge``), the faults, the ORIGINAL
network (a describe-* bundle: a fault counts as found once the flows it broke there pass
again) and the hints taken.

Nothing about what is found is stored: every view judges the network as it is now, as the
lab's checks are. The score is the share of the step's checks that pass × (100 − 10 × hints),
never below 0.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from app.engine import Topology, import_bundle, write_bundle
from app.engine.checks import evaluate
from app.engine.faults import Fault, Flows, broken_by, candidates, inject
from app.engine.kinds import KINDS
from app.engine.templates import apply_template

from . import Lab, Step

HINT_COST = 10  # points a hint costs
HINTS_PER_FAULT = 2  # the first names the component, the second says the whole fault


def flows_of(step: Step) -> Flows:
    """The step's checks as the engine's flows: True for each check that passes now."""
    return lambda t: [evaluate(t, c.check).passed for c in step.checks]


def seed_for(lab: Lab, user_id: int) -> str:
    """One seed per learner and lab: the same learner starting again gets the same faults."""
    return f"{lab.id}:{user_id}"


def start(lab: Lab, user_id: int) -> tuple[Topology, dict[str, Any]]:
    """The lab's template with its faults injected, and the state to remember with it."""
    original = Topology(region=lab.region)
    apply_template(original, lab.start)
    broken, faults = inject(original, lab.faults, seed_for(lab, user_id), flows_of(lab.steps[0]))
    state = {
        "faults": [{"code": f.code, "component": f.component, "params": f.params} for f in faults],
        "original": write_bundle(original),
        "hints": [],
        "region": lab.region,
    }
    return broken, state


def faults_of(state: dict[str, Any]) -> list[Fault]:
    return [
        Fault(str(f["code"]), str(f["component"]), dict(f.get("params") or {}))
        for f in state.get("faults", [])
    ]


def original_of(state: dict[str, Any]) -> Topology:
    """The network before the faults (the ids are the broken network's own)."""
    return import_bundle(Topology(region=state["region"]), state["original"], rules=False)[0]


def restart(state: dict[str, Any]) -> Topology:
    """The challenge's start again (a reset): the original network with the same faults
    applied in the same order (a resource a fault creates, such as its network ACL, gets a new
    id; the components the faults name keep theirs)."""
    original = original_of(state)
    offered = candidates(original)
    broken = original.copy()
    for fault in faults_of(state):
        found = next((c for c in offered if c.fault == fault), None)
        if found is not None:
            found.apply(broken)
    return broken


def kind_of(resource_id: str) -> str:
    """The kind of ``resource_id`` (``route-table`` for ``rtb-…``; the faces title it)."""
    prefix = resource_id.rsplit("-", 1)[0]
    return next((k.name for k in KINDS if k.id_prefix == prefix), "")


@dataclass(frozen=True)
class FaultView:
    fault: Fault
    found: bool
    hints: int  # hints taken on this fault (1: its component shown; 2: the whole fault)

    @property
    def kind(self) -> str:
        return kind_of(self.fault.component)


@dataclass(frozen=True)
class ChallengeView:
    faults: tuple[FaultView, ...]
    passing: int  # the step's checks that pass now
    checks: int

    @property
    def found(self) -> int:
        return sum(f.found for f in self.faults)

    @property
    def hints(self) -> int:
        return sum(f.hints for f in self.faults)

    @property
    def score(self) -> int:
        if not self.checks:
            return 0
        return max(0, self.passing * (100 - HINT_COST * self.hints) // self.checks)

    @property
    def next_hint(self) -> int | None:
        """The fault the next hint is about: the first not found yet that has a hint left."""
        return next(
            (i for i, f in enumerate(self.faults) if not f.found and f.hints < HINTS_PER_FAULT),
            None,
        )


# What each fault alone broke in the original network depends on that network only: kept per
# topology (its original never changes), so a render evaluates the checks once, not per fault.
_BROKE: OrderedDict[tuple[str, str], list[list[int]]] = OrderedDict()
_BROKE_SIZE = 256
_lock = threading.Lock()


def _broke(key: tuple[str, str], step: Step, state: dict[str, Any]) -> list[list[int]]:
    with _lock:
        if key in _BROKE:
            _BROKE.move_to_end(key)
            return _BROKE[key]
    original = original_of(state)
    flows = flows_of(step)
    found = [broken_by(original, fault, flows) for fault in faults_of(state)]
    with _lock:
        _BROKE[key] = found
        while len(_BROKE) > _BROKE_SIZE:
            _BROKE.popitem(last=False)
    return found


def view(topology_id: str, lab: Lab, state: dict[str, Any], passed: list[bool]) -> ChallengeView:
    """The challenge as it stands: ``passed`` is each of the step's checks now. A fault is
    found when every flow it broke on its own passes again (``faults.repaired``)."""
    broke = _broke((topology_id, lab.id), lab.steps[0], state)
    hints = [int(h) for h in state.get("hints", [])]
    faults = tuple(
        FaultView(
            fault=fault,
            # (an index past the checks: the lab file lost a check since; not found)
            found=bool(broke[i]) and all(j < len(passed) and passed[j] for j in broke[i]),
            hints=hints.count(i),
        )
        for i, fault in enumerate(faults_of(state))
    )
    return ChallengeView(faults, sum(passed), len(passed))
