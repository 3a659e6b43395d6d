"""Guided labs as pages: the list of labs with a start button, and the lab panel of the
workspace (templates/_lab_panel.html) with its "next step" and "back to step n" forms.

The panel is part of the workspace block, so every change that re-renders the workspace
evaluates the step again: a check is never shown green once it no longer passes. Plain forms
first (POST, then 303 back to the workspace); htmx swaps the workspace on top.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape

from app import labs
from app.api.errors import status_for
from app.db.store import Store
from app.engine import AwsError
from app.i18n import gettext as _
from app.i18n import ngettext
from app.labs.progress import Checked

from .language import request_language
from .pages import NOT_A_FORM_ERROR, FormValues, StoreDep, see_other, workspace
from .render import env, is_htmx, render

router = APIRouter(include_in_schema=False)


# A parameter of a sentence with the spaces around it, or a literal "%%".
_PARAMETER = re.compile(r"%%|( ?)%\((\w+)\)([sd])( ?)")


def worded(sentence: str, params: Mapping[str, object]) -> str:
    """``sentence % params``, less the catalog's space between a parameter and the text beside
    it where both sides are Japanese: Japanese puts no space between words, only around Latin
    ones, so "%(source)s から %(destination)s への" reads "db からインターネットへの".

    >>> worded("%(a)s から %(b)s へ", {"a": "db", "b": "インターネット"})
    'db からインターネットへ'
    """

    def fill(match: re.Match[str]) -> str:
        if match.group(0) == "%%":
            return "%"
        before, key, form, after = match.groups()
        value = str(int(str(params[key]))) if form == "d" else str(params[key])
        start, end = match.start(), match.end()
        if before and value and start:
            before = "" if _japanese(sentence[start - 1]) and _japanese(value[0]) else before
        if after and value and end < len(sentence):
            after = "" if _japanese(value[-1]) and _japanese(sentence[end]) else after
        return before + value + after

    return _PARAMETER.sub(fill, sentence)


def _japanese(char: str) -> bool:
    """A character of Japanese text (kana, kanji, full-width punctuation): not Latin."""
    return not char.isascii() and not char.isspace()


def result_words(checked: Checked, name: Callable[[str], str] = str) -> str:
    """What a check found, beyond ✔/✘, in the reader's words ("1 of 2 found", "internet
    reaches web (i-…)"); ``name`` says an end of a flow (an id, ``internet``, an address)."""
    code, params = checked.result.code, checked.result.params
    found = int(params.get("found", 0))
    if params.get("kind") == "flow":
        ends = {
            "source": name(str(params.get("source", ""))),
            "destination": name(str(params.get("destination", ""))),
        }
        if code == "no_endpoint":
            if params.get("end") == "source":
                return _("No instance matches the source of this check yet.")
            return _("No instance matches the destination of this check yet.")
        if code == "blocked":
            return worded(_("Blocked from %(source)s to %(destination)s."), ends)
        if code == "reachable":
            return worded(_("%(source)s reaches %(destination)s, and it should be blocked."), ends)
        if params.get("expect") == "blocked":
            return _("Blocked, as it should be.")
        if "source" not in params:
            return ""
        return worded(_("%(source)s reaches %(destination)s."), ends)
    if code == "missing":
        words = _("%(found)s of %(wanted)s found") % {
            "found": found,
            "wanted": params.get("wanted", 1),
        }
        if "zones_wanted" in params:
            words += " · " + _("in %(zones)s of %(zones_wanted)s Availability Zones") % {
                "zones": params.get("zones", 0),
                "zones_wanted": params["zones_wanted"],
            }
        return words
    if code == "present":
        return ngettext(
            "%(num)d found, where none should be", "%(num)d found, where none should be", found
        ) % {"num": found}
    if code == "ok" and params.get("wanted") == 0:
        return _("None found, as it should be.")
    if code == "ok" and "found" in params:
        return ngettext("%(num)d found", "%(num)d found", found) % {"num": found}
    return ""


def _joined(lines: list[str]) -> str:
    """A paragraph's lines as one: the files wrap long sentences, and a line break between two
    Japanese characters is no space (a break between words is one)."""
    text = ""
    for line in lines:
        if text and line and (text[-1].isascii() or line[0].isascii()):
            text += " "
        text += line
    return text


# A list item's line: "- " for a bulleted list, "1. " for a numbered one.
_ITEM = re.compile(r"(?:(-)|(\d{1,3})\.)\s+(\S.*)")


def _inline(lines: list[str]) -> str:
    """Wrapped lines as one, HTML escaped, `code` in backquotes as code."""
    parts = _joined(lines).split("`")
    if len(parts) % 2 == 0:  # an unpaired backquote stays as it is
        parts[-2:] = ["`".join(parts[-2:])]
    return "".join(
        f"<code>{escape(part)}</code>" if index % 2 else str(escape(part))
        for index, part in enumerate(parts)
    )


def _blocks(text: str) -> list[tuple[str, int, list[str]]]:
    """The text's paragraphs ``("p", 0, lines)`` and list items ``("ul" | "ol", number,
    lines)``: a blank line or an item's line starts a block, any other line goes on the one
    before it (the files wrap long sentences)."""
    blocks: list[tuple[str, int, list[str]]] = []
    after_blank = True
    for raw in text.strip().splitlines():
        line = raw.strip()
        item = _ITEM.fullmatch(line)
        if not line:
            after_blank = True
            continue
        if item:
            kind = "ul" if item.group(1) else "ol"
            blocks.append((kind, int(item.group(2) or 0), [item.group(3)]))
        elif after_blank:
            blocks.append(("p", 0, [line]))
        else:
            blocks[-1][2].append(line)
        after_blank = False
    return blocks


def lab_text(text: str) -> Markup:
    """A lab file's text as HTML: paragraphs at blank lines, wrapped lines joined, `code` in
    backquotes as code, lines starting with "- " as a bulleted list and with "1. " as a
    numbered one (items apart by blank lines stay one list). Everything else is escaped."""
    html: list[str] = []
    shown = "p"
    for kind, number, lines in _blocks(text):
        if kind != shown:
            if shown != "p":
                html.append(f"</{shown}>")
            if kind == "ol" and number != 1:
                html.append(f'<ol start="{number}">')
            elif kind != "p":
                html.append(f"<{kind}>")
            shown = kind
        tag = "p" if kind == "p" else "li"
        html.append(f"<{tag}>{_inline(lines)}</{tag}>")
    if shown != "p":
        html.append(f"</{shown}>")
    return Markup("".join(html))


env.filters["lab_text"] = lab_text


def blocking(checked: Checked) -> dict[str, Any] | None:
    """The first explanation of a failed flow check (as JSON: the trace's filters word it)."""
    result = checked.result
    if result.passed or result.analysis is None or not result.analysis.explanations:
        return None
    return result.analysis.explanations[0].to_dict()


env.globals["lab_result_words"] = result_words
env.globals["lab_blocking"] = blocking


def labs_page(
    request: Request, store: Store, *, error: AwsError | None = None, status: int = 200
) -> HTMLResponse:
    mine: dict[str, list[dict[str, Any]]] = {}
    for topology in store.list_topologies():
        if topology.get("lab"):
            mine.setdefault(topology["lab"], []).append(topology)
    return render(
        request,
        "labs.html",
        {"labs": list(labs.all_labs().values()), "started": mine, "error": error},
        status_code=status,
    )


@router.get("/labs", response_class=HTMLResponse)
def list_labs(request: Request, store: StoreDep) -> HTMLResponse:
    return labs_page(request, store)


@router.post("/labs/{lab_id}/start")
def start_lab(lab_id: str, request: Request, store: StoreDep) -> Response:
    lab = labs.all_labs().get(lab_id)
    name = lab.title.in_language(request_language(request)) if lab else lab_id
    try:
        topology = store.start_lab(lab_id, name[:200])
    except AwsError as error:
        if error.code.endswith("NotFound"):
            raise
        return labs_page(request, store, error=error, status=status_for(error))
    return see_other(f"/topologies/{topology['id']}")


def _moved(
    request: Request, store: Store, topology_id: str, values: FormValues, move: Any
) -> Response:
    """Move in the lab, then show the workspace again with the resource the learner had
    selected still open in the inspector (the form carries it as ``select``)."""
    raw = values.get("select")
    select = raw[:64] if isinstance(raw, str) else ""
    try:
        move()
    except AwsError as error:
        if error.code in NOT_A_FORM_ERROR or error.code.endswith("NotFound"):
            raise
        return workspace(
            request,
            store,
            topology_id,
            select=select,
            status=status_for(error),
            lab_error=error,
        )
    if is_htmx(request):
        return workspace(request, store, topology_id, select=select)
    query = f"?{urlencode({'select': select})}" if select else ""
    return see_other(f"/topologies/{topology_id}{query}#lab-panel")


@router.post("/topologies/{topology_id}/lab/next")
def next_step(topology_id: str, request: Request, store: StoreDep, values: FormValues) -> Response:
    return _moved(request, store, topology_id, values, lambda: store.next_lab_step(topology_id))


@router.post("/topologies/{topology_id}/lab/step")
def go_to_step(topology_id: str, request: Request, store: StoreDep, values: FormValues) -> Response:
    raw = str(values.get("step", ""))
    step = int(raw) if raw.isdigit() and len(raw) < 5 else -1
    return _moved(
        request, store, topology_id, values, lambda: store.set_lab_step(topology_id, step)
    )


@router.post("/topologies/{topology_id}/lab/hint")
def take_hint(topology_id: str, request: Request, store: StoreDep, values: FormValues) -> Response:
    """A troubleshooting challenge's next hint (it costs points), shown in the lab panel."""
    return _moved(
        request, store, topology_id, values, lambda: store.take_challenge_hint(topology_id)
    )
