"""Decisions as data: a message id with its parameters, rendered into words only at the edge.

Every id has one English source template, declared where the engine uses it with
``text(id, template)``; Babel extracts those calls (keyword ``text:1c,2``: the id is the
context, the template the msgid) into the ``engine`` catalog. The engine renders English itself
(the template, formatted); the faces render other languages from the catalogs with ``render``.

>>> str(Message("hop.instance.state", {"instance": "i-1", "state": "stopped"}))
'Instance i-1 is stopped; only a running instance sends or receives traffic.'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

TEMPLATES: dict[str, str] = {}  # message id -> its English template

Translate = Callable[[str, str], str]  # (id, English template) -> the template in a language


def text(message_id: str, template: str) -> str:
    """Declare the English template of ``message_id`` (the marker Babel extracts)."""
    known = TEMPLATES.setdefault(message_id, template)
    if known != template:
        raise ValueError(f"message id {message_id!r} declared with two templates")
    return message_id


@dataclass(frozen=True, eq=True)
class Message:
    """What the engine decided, as an id and its parameters (parameters may be Messages)."""

    id: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "params": params_to_dict(self.params)}

    def english(self) -> str:
        return render(self.id, self.params, english)

    def __str__(self) -> str:
        return self.english()


def message(message_id: str, **params: Any) -> Message:
    """A Message for a declared id; addresses, networks and other values become strings."""
    if message_id not in TEMPLATES:
        raise KeyError(f"undeclared message id {message_id!r}")
    return Message(message_id, {k: _plain(v) for k, v in params.items()})


def _plain(value: Any) -> Any:
    if isinstance(value, Message | str | int | float | bool) or value is None:
        return value
    return str(value)


def params_to_dict(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters as JSON: nested Messages as ``{"id", "params"}``."""
    return {k: v.to_dict() if isinstance(v, Message) else v for k, v in params.items()}


def english(message_id: str, template: str) -> str:
    """The English template itself (the ``Translate`` of the source language)."""
    return template


def render(message_id: str, params: dict[str, Any], translate: Translate) -> str:
    """The words of ``message_id`` in the language ``translate`` gives, parameters rendered too.

    ``params`` may hold Messages or their JSON form (``{"id", "params"}``, as stored). Raises
    KeyError for an id no template declares.
    """
    template = translate(message_id, TEMPLATES[message_id])
    return template.format_map({k: _render_param(v, translate) for k, v in params.items()})


def _render_param(value: Any, translate: Translate) -> Any:
    if isinstance(value, Message):
        return render(value.id, value.params, translate)
    if isinstance(value, dict) and set(value) == {"id", "params"}:
        return render(value["id"], value["params"], translate)
    return value


def join(items: list[str]) -> str:
    """Resource ids listed as the English messages always listed them: ``sg-1, sg-2``."""
    return ", ".join(items)
