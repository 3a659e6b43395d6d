"""The result of an analysis as plain data: paths of hops, and one explanation per block.

Shapes follow ``docs/api-contract.md`` ("Analyses"); ``to_dict`` gives that JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .messages import Message
from .packet import Header

ACTIONS = frozenset({"sent", "forwarded", "allowed", "blocked", "translated", "delivered"})


@dataclass(frozen=True)
class Component:
    """A reference to the component a hop passes: id, type (kebab-case AWS kind) and name."""

    id: str
    type: str
    name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.name:
            data["name"] = self.name
        return data


@dataclass
class Hop:
    """One component the packet meets, what it did, and the evidence (route, rule, translation).

    ``after_block`` marks a *would-be* hop: after a block on its leg, or on the reply to a blocked
    request. It says what would happen if the block were fixed, never that anything arrives.
    ``said`` is the message as data (id and parameters); ``message`` its English words.
    """

    component: Component
    action: str
    inbound_header: Header
    outbound_header: Header
    message: str
    details: dict[str, Any] = field(default_factory=dict)
    after_block: bool = False
    said: Message | None = None

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"unknown hop action {self.action!r}")

    def to_dict(self, sequence: int) -> dict[str, Any]:
        data: dict[str, Any] = {
            "sequence": sequence,
            "component": self.component.to_dict(),
            "action": self.action,
            "after_block": self.after_block,
            "inbound_header": self.inbound_header.to_dict(),
            "outbound_header": self.outbound_header.to_dict(),
            "message": self.message,
            **_said("message", self.said),
        }
        data.update(self.details)
        return data


@dataclass
class Explanation:
    """Why a hop blocked: a Reachability Analyzer code, the resources concerned, and a fix.

    ``said`` and ``fix_said`` are the message and the fix as data; the strings their English.
    """

    code: str
    path: str
    component: Component
    message: str
    suggested_fix: str
    direction: str | None = None
    refs: dict[str, Any] = field(default_factory=dict)
    said: Message | None = None
    fix_said: Message | None = None

    @classmethod
    def of(
        cls,
        code: str,
        path: str,
        component: Component,
        said: Message,
        fix: Message,
        direction: str | None = None,
        refs: dict[str, Any] | None = None,
    ) -> Explanation:
        """An explanation from its messages; the English strings are rendered from them."""
        return cls(code, path, component, str(said), str(fix), direction, refs or {}, said, fix)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code}
        if self.direction:
            data["direction"] = self.direction
        data.update(path=self.path, component=self.component.to_dict())
        data.update(self.refs)
        data.update(message=self.message, suggested_fix=self.suggested_fix)
        data.update(_said("message", self.said), **_said("suggested_fix", self.fix_said))
        return data


def _said(field: str, said: Message | None) -> dict[str, Any]:
    """``<field>_id`` and ``<field>_params`` of a Message (nothing for plain text)."""
    if said is None:
        return {}
    return {f"{field}_id": said.id, f"{field}_params": said.to_dict()["params"]}


@dataclass
class Analysis:
    """A whole analysis: the verdict, the resolved request, both paths and the explanations."""

    reachable: bool
    request: dict[str, Any]
    forward_path: list[Hop]
    return_path: list[Hop]
    explanations: list[Explanation]

    @property
    def blocked_hops(self) -> list[Hop]:
        return [h for h in self.forward_path + self.return_path if h.action == "blocked"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "reachable": self.reachable,
            "request": self.request,
            "forward_path": [h.to_dict(i) for i, h in enumerate(self.forward_path, 1)],
            "return_path": [h.to_dict(i) for i, h in enumerate(self.return_path, 1)],
            "explanations": [e.to_dict() for e in self.explanations],
        }


def mark_after_block(result: dict[str, Any]) -> dict[str, Any]:
    """A result stored before hops carried ``after_block``, marked as the tracer marks it now.

    A hop after a blocked hop of its leg is a would-be hop; so is every hop of the reply when the
    request was blocked (the reply exists only once the block is fixed). Hops already marked are
    kept as they are; the result given is not changed.
    """
    marked = dict(result)
    blocked = False
    for path in ("forward_path", "return_path"):
        hops = []
        for hop in result.get(path) or []:
            hops.append({"after_block": blocked, **hop})
            blocked = blocked or hop.get("action") == "blocked"
        marked[path] = hops
    return marked
