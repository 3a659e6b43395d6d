"""Checks of a guided lab, decided by what the network is and does (docs/labs.md).

A *state* check counts the resources of one kind that meet some conditions ("a public /24
subnet", "an Elastic IP on the interface at 10.0.1.11"); a *flow* check runs the analysis of
"test connection" between roles ("the internet reaches a public instance on TCP 22"). Neither
ever names a generated id or a name the learner chose, so any correct design passes.

Results are data (a code and its parameters, and the deciding ``Analysis``); the faces turn them
into words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .topology import Topology
from .trace import Analysis

Path = tuple[str | int, ...]


class CheckSpecError(ValueError):
    """A check's description is malformed: ``path`` leads to the offending value inside the
    check's mapping (e.g. ``("state", "subnet", "publc")``), ``problem`` says what is wrong in
    English (for lab authors)."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(problem)
        self.path = path
        self.problem = problem


@dataclass(frozen=True)
class StateCheck:
    kind: str  # vpc, subnet, internet_gateway, … (docs/labs.md)
    conditions: Mapping[str, Any]
    count: int = 1
    absent: bool = False


@dataclass(frozen=True)
class Selector:
    """An end of a flow: ``internet``, an outside IPv4 address, or instances meeting
    ``conditions`` (the instance conditions of docs/labs.md)."""

    internet: bool = False
    address: str | None = None
    conditions: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class FlowCheck:
    source: Selector
    destination: Selector
    protocol: str
    port: int | str | None  # an int, "any" (expect blocked only), None for icmp
    expect: str  # reaches | blocked


Check = StateCheck | FlowCheck


@dataclass(frozen=True)
class CheckResult:
    passed: bool
    code: str  # ok | missing | present | no_endpoint | blocked | reachable
    params: dict[str, Any] = field(default_factory=dict)
    analysis: Analysis | None = None


def parse_check(raw: Mapping[str, Any]) -> Check:
    """A check from its mapping (exactly one of ``state`` or ``flow``; ``id`` and ``says`` are
    the lab file's business and are not passed here). Raises CheckSpecError."""
    raise NotImplementedError


def evaluate(topology: Topology, check: Check) -> CheckResult:
    """Does ``topology`` pass ``check``? Never raises for a well-formed check."""
    raise NotImplementedError
