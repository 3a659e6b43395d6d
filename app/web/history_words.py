"""A topology's history in the reader's words: what made each revision, what it changed, and the
notice the workspace shows after a copy, a reset or a restore. The store keeps them as data
(app/db/history.py); words are chosen only here, when a page shows them."""

from __future__ import annotations

from typing import Any

from app import labs
from app.db.store import Store
from app.i18n import current_language
from app.i18n import gettext as _
from app.labs.custom import assignment_of

from .actions import DONE_WORDS
from .engine_words import TEMPLATE_NAMES
from .language import N_
from .workspace import KIND_LABELS

CHANGE_WORDS = {
    "added": N_("Added"),
    "removed": N_("Removed"),
    "changed": N_("Changed"),
}


def template_words(template: str | None) -> str:
    return _(TEMPLATE_NAMES[template]) if template in TEMPLATE_NAMES else str(template)


def action_words(entry: dict[str, Any]) -> str:
    """``Created from the template “…”``, ``create subnet``, ``API: create_subnet``…"""
    action, params = entry["action"], entry.get("params") or {}
    if action == "create" and params.get("lab") and assignment_of(str(params["lab"])):
        return _("Started an assignment: a copy of the instructor's network")
    if action == "create" and params.get("lab"):
        lab = labs.all_labs().get(params["lab"])
        return _("Started the guided lab “%(lab)s”") % {
            "lab": lab.title.in_language(current_language.get()) if lab else params["lab"]
        }
    if action == "create":
        return _("Created from the template “%(template)s”") % {
            "template": template_words(params.get("template"))
        }
    if action == "duplicate":
        return _("Copied from “%(name)s” (its revision %(revision)s)") % {
            "name": params.get("source_name", ""),
            "revision": params.get("revision", "?"),
        }
    if action == "import":
        return _("Imported a bundle (%(tests)s saved tests)") % {"tests": params.get("tests", 0)}
    if action == "reset":
        return _("Reset to the template “%(template)s”") % {
            "template": template_words(params.get("template"))
        }
    if action == "restore":
        return _("Restored revision %(revision)s") % {"revision": params.get("revision", "?")}
    if action.startswith("api:"):
        return _("Through the API: %(route)s") % {"route": action[4:]}
    if action in DONE_WORDS:
        return _(DONE_WORDS[action])
    return _("A change")


def change_lines(entry: dict[str, Any]) -> list[str]:
    """``Added: Subnet subnet-0a…`` for each kind a revision added, removed or changed."""
    changes = entry.get("changes") or {}
    lines = []
    for what, label in CHANGE_WORDS.items():
        by_kind: dict[str, list[str]] = changes.get(what) or {}
        if not by_kind:
            continue
        shown = sum(len(ids) for ids in by_kind.values())
        parts = [
            f"{_(KIND_LABELS.get(kind, kind))} {', '.join(ids)}" for kind, ids in by_kind.items()
        ]
        line = f"{_(label)}: " + "; ".join(parts)
        more = int(changes.get(f"{what}_count", shown)) - shown
        if more > 0:
            line += " " + _("(and %(count)s more)") % {"count": more}
        lines.append(line)
    return lines


def done_notice(store: Store, topology_id: str, done: str) -> str | None:
    """After a copy, a reset or a restore, what happened, said from the history itself."""
    if done not in ("copied", "reset", "restored"):
        return None
    entries = store.list_revisions(topology_id)["revisions"]
    if done == "copied" and entries and entries[-1]["action"] == "duplicate":
        return _(
            "This is a copy of “%(name)s” with its resources and saved tests: changing it "
            "leaves the original as it is."
        ) % {"name": entries[-1]["params"].get("source_name", "")}
    newest = entries[0] if entries else None
    if done == "reset" and newest and newest["action"] == "reset":
        return _(
            "Reset to its template as revision %(revision)s. To undo it, restore revision "
            "%(before)s from the history."
        ) % {"revision": newest["revision"], "before": newest["revision"] - 1}
    if done == "restored" and newest and newest["action"] == "restore":
        return _(
            "Revision %(old)s is back, as the new revision %(revision)s; the saved tests were "
            "kept. Re-run them to see their results on it."
        ) % {"old": newest["params"].get("revision"), "revision": newest["revision"]}
    return None
