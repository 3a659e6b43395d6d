"""Guided labs: the YAML files in the repository's ``labs/`` folder, read and validated
(docs/labs.md). The checks themselves are the engine's (app/engine/checks.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.engine.checks import Check

LABS_DIR = Path(__file__).resolve().parents[2] / "labs"


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


class LabFileError(ValueError):
    """``file``, ``line`` (1-based, None when the file cannot be read at all) and the problem."""

    def __init__(self, file: str, line: int | None, problem: str) -> None:
        where = f"{file}, line {line}" if line is not None else file
        super().__init__(f"{where}: {problem}")
        self.file, self.line, self.problem = file, line, problem


def load_lab(path: Path) -> Lab:
    """One lab file, validated; raises LabFileError."""
    raise NotImplementedError


def all_labs() -> dict[str, Lab]:
    """Every lab in LABS_DIR by id, in file-name order (read once; a bad file raises)."""
    raise NotImplementedError
