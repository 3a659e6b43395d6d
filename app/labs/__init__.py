"""Guided labs: the YAML files in the repository's ``labs/`` folder, read and validated
(docs/labs.md). The checks themselves are the engine's (app/engine/checks.py)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml

from app.engine import checks
from app.engine.checks import Check, CheckSpecError
from app.engine.regions import AVAILABILITY_ZONES, DEFAULT_REGION
from app.engine.templates import TEMPLATES

__all__ = ["LABS_DIR", "Lab", "LabCheck", "LabFileError", "Step", "Text", "all_labs", "load_lab"]

LABS_DIR = Path(__file__).resolve().parents[2] / "labs"

MAX_FAULTS = 5  # faults a challenge may inject (docs/labs.md, "Troubleshooting challenges")
ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclass(frozen=True)
class Text:
    """One text in both languages."""

    en: str
    ja: str

    def in_language(self, language: str) -> str:
        return self.ja if language == "ja" else self.en


@dataclass(frozen=True)
class LabCheck:
    id: str
    says: Text
    check: Check


@dataclass(frozen=True)
class Step:
    id: str
    title: Text
    instructions: Text
    hints: tuple[Text, ...]
    checks: tuple[LabCheck, ...]


@dataclass(frozen=True)
class Lab:
    id: str  # the file name without .yaml
    title: Text
    goal: Text
    start: str  # a template name (app/engine/templates.py): blank, default-vpc, …
    region: str
    steps: tuple[Step, ...]
    # A troubleshooting challenge (``challenge: {faults: N}``): N faults are injected into the
    # working ``start`` template when a learner starts it (app/labs/challenge.py); 0: a guided lab.
    faults: int = 0


class LabFileError(ValueError):
    """``file``, ``line`` (1-based, None when the file cannot be read at all) and the problem."""

    def __init__(self, file: str, line: int | None, problem: str) -> None:
        where = f"{file}, line {line}" if line is not None else file
        super().__init__(f"{where}: {problem}")
        self.file, self.line, self.problem = file, line, problem


def load_lab(path: Path) -> Lab:
    """One lab file, validated; raises LabFileError.

    Every error names the file as ``labs/<name>.yaml``, the 1-based line of the offending node
    and the path to it inside the document: ``steps[1].checks[0].state.subnet: unknown
    condition 'publc'``.
    """
    return _Reader(path).lab()


@functools.cache
def _labs_in(folder: Path) -> dict[str, Lab]:
    return {path.stem: load_lab(path) for path in sorted(folder.glob("*.yaml"))}


def all_labs() -> dict[str, Lab]:
    """Every lab in LABS_DIR by id, in file-name order (read once; a bad file raises)."""
    return dict(_labs_in(LABS_DIR))


# ---- reading ---------------------------------------------------------------------------------

T = TypeVar("T")
Node = yaml.Node


class _Reader:
    """Walks the composed YAML nodes (which keep their lines) and builds the lab from them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = f"{path.parent.name}/{path.name}"
        self.step_ids: dict[str, Node] = {}
        self.check_ids: dict[str, Node] = {}

    def fail(self, node: Node | None, where: str, problem: str) -> LabFileError:
        line = node.start_mark.line + 1 if node is not None else None
        return LabFileError(self.file, line, f"{where}: {problem}" if where else problem)

    # -- the document --
    def lab(self) -> Lab:
        if not ID_PATTERN.fullmatch(self.path.stem):
            raise LabFileError(
                self.file, None, "the file name is the lab's id: use only a-z, 0-9 and '-'"
            )
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise LabFileError(self.file, None, f"cannot be read ({error})") from error
        self.loader = yaml.SafeLoader(text)
        try:
            root = self.loader.get_single_node()
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark is not None else None
            problem = " ".join(p for p in (error.context, error.problem) if p)
            raise LabFileError(self.file, line, f"YAML syntax: {problem}") from error
        except yaml.YAMLError as error:
            raise LabFileError(self.file, None, f"YAML syntax: {error}") from error
        if root is None:
            raise LabFileError(self.file, None, "the file is empty")
        top = self.mapping(
            (root, root),
            "",
            required=("title", "goal", "start", "steps"),
            optional=("region", "challenge"),
        )
        start = self.string(top["start"], "start")
        if start not in TEMPLATES:
            raise self.fail(
                top["start"][1],
                "start",
                f"unknown template '{start}' (one of: {', '.join(TEMPLATES)})",
            )
        region = DEFAULT_REGION
        if "region" in top:
            region = self.string(top["region"], "region")
            if region not in AVAILABILITY_ZONES:
                raise self.fail(top["region"][1], "region", f"unknown region '{region}'")
        steps = self.sequence(top["steps"], "steps", self.step)
        faults = 0
        if "challenge" in top:
            faults = self.challenge(top["challenge"])
            if len(steps) != 1:
                raise self.fail(
                    top["steps"][1],
                    "steps",
                    "a challenge has exactly one step: its checks are the flows to restore",
                )
        return Lab(
            id=self.path.stem,
            title=self.text(top["title"], "title"),
            goal=self.text(top["goal"], "goal"),
            start=start,
            region=region,
            steps=tuple(steps),
            faults=faults,
        )

    def challenge(self, entry: tuple[Node, Node]) -> int:
        fields = self.mapping(entry, "challenge", required=("faults",))
        node = fields["faults"][1]
        value = self.value(node, "challenge.faults") if isinstance(node, yaml.ScalarNode) else None
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_FAULTS:
            raise self.fail(
                node, "challenge.faults", f"must be a whole number from 1 to {MAX_FAULTS}"
            )
        return value

    def step(self, entry: tuple[Node, Node], where: str) -> Step:
        fields = self.mapping(
            entry,
            where,
            required=("id", "title", "instructions", "checks"),
            optional=("hints",),
        )
        step_id = self.unique(fields["id"], f"{where}.id", self.step_ids, "step")
        hints: list[Text] = []
        if "hints" in fields:
            hints = self.sequence(fields["hints"], f"{where}.hints", self.text, empty=True)
        return Step(
            id=step_id,
            title=self.text(fields["title"], f"{where}.title"),
            instructions=self.text(fields["instructions"], f"{where}.instructions"),
            hints=tuple(hints),
            checks=tuple(self.sequence(fields["checks"], f"{where}.checks", self.check)),
        )

    def check(self, entry: tuple[Node, Node], where: str) -> LabCheck:
        fields = self.mapping(entry, where, required=("id", "says"), optional=("state", "flow"))
        kinds = [kind for kind in ("state", "flow") if kind in fields]
        if len(kinds) != 1:
            problem = (
                "has both 'state' and 'flow': a check is one or the other"
                if kinds
                else "needs 'state' or 'flow'"
            )
            raise self.fail(fields[kinds[-1]][0] if kinds else entry[1], where, problem)
        check_id = self.unique(fields["id"], f"{where}.id", self.check_ids, "check")
        says = self.text(fields["says"], f"{where}.says")
        body_node = fields[kinds[0]][1]
        raw: dict[str, object] = {kinds[0]: self.value(body_node, f"{where}.{kinds[0]}")}
        try:
            parsed = checks.parse_check(raw)
        except CheckSpecError as error:
            node, path = self.follow(entry[1], error.path)
            # "state.subnet: unknown condition 'publc'" rather than "…subnet.publc: … 'publc'".
            if path and f"'{path[-1]}'" in error.problem:
                path = path[:-1]
            shown = where + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
            raise self.fail(node, shown, error.problem) from error
        return LabCheck(id=check_id, says=says, check=parsed)

    # -- the node kinds --
    def mapping(
        self,
        entry: tuple[Node, Node],
        where: str,
        required: tuple[str, ...],
        optional: tuple[str, ...] = (),
    ) -> dict[str, tuple[Node, Node]]:
        """The mapping's entries by key (key node, value node); unknown, duplicate and missing
        keys are errors."""
        node = entry[1]
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, where, f"must be a mapping with {', '.join(required)}")
        found: dict[str, tuple[Node, Node]] = {}
        allowed = required + optional
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key not in allowed:
                raise self.fail(
                    key_node,
                    where,
                    f"unknown key '{key}' (expected {', '.join(allowed)})",
                )
            if key in found:
                raise self.fail(key_node, where, f"key '{key}' is given twice")
            found[key] = (key_node, value_node)
        missing = [key for key in required if key not in found]
        if missing:
            raise self.fail(entry[0], where, f"missing '{missing[0]}'")
        return found

    def sequence_items(self, entry: tuple[Node, Node], where: str) -> list[Node]:
        node = entry[1]
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, where, "must be a list")
        return list(node.value)

    def sequence(
        self,
        entry: tuple[Node, Node],
        where: str,
        read: Callable[[tuple[Node, Node], str], T],
        empty: bool = False,
    ) -> list[T]:
        items = self.sequence_items(entry, where)
        if not items and not empty:
            raise self.fail(entry[1], where, "must have at least one item")
        # An item has no key node: its own node stands in for one.
        return [read((item, item), f"{where}[{index}]") for index, item in enumerate(items)]

    def value(self, node: Node, where: str) -> object:
        """The Python value of ``node`` (a tag the safe loader does not know is an error)."""
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as error:
            problem = getattr(error, "problem", None) or str(error)
            raise self.fail(node, where, problem) from error

    def string(self, entry: tuple[Node, Node], where: str) -> str:
        node = entry[1]
        value = self.value(node, where) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(node, where, "must be a non-empty text")
        return value.strip()

    def identifier(self, entry: tuple[Node, Node], where: str) -> str:
        value = self.string(entry, where)
        if not ID_PATTERN.fullmatch(value):
            raise self.fail(entry[1], where, f"'{value}' is not an id: use only a-z, 0-9 and '-'")
        return value

    def unique(self, entry: tuple[Node, Node], where: str, seen: dict[str, Node], what: str) -> str:
        """An id not used before by another ``what`` of the lab."""
        value = self.identifier(entry, where)
        if value in seen:
            first = seen[value].start_mark.line + 1
            problem = f"duplicate {what} id '{value}' (first at line {first})"
            raise self.fail(entry[1], where, problem)
        seen[value] = entry[1]
        return value

    def text(self, entry: tuple[Node, Node], where: str) -> Text:
        fields = self.mapping(entry, where, required=("en", "ja"))
        return Text(
            en=self.string(fields["en"], f"{where}.en"),
            ja=self.string(fields["ja"], f"{where}.ja"),
        )

    def follow(self, node: Node, path: tuple[str | int, ...]) -> tuple[Node, tuple[str | int, ...]]:
        """The deepest node along ``path`` from ``node`` (a mapping's key node for a key, so an
        unknown key's own line is named), and the part of the path that was found."""
        found: list[str | int] = []
        for step in path:
            if isinstance(node, yaml.MappingNode):
                match = [(k, v) for k, v in node.value if getattr(k, "value", None) == str(step)]
                if not match:
                    break
                key_node, value_node = match[-1]
                found.append(step)
                if step == path[-1] and len(found) == len(path):
                    return key_node, tuple(found)
                node = value_node
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                if not 0 <= step < len(node.value):
                    break
                node = node.value[step]
                found.append(step)
            else:
                break
        return node, tuple(found)
