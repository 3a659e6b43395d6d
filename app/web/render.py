"""Rendering: Jinja2 pages whose fragments are named blocks (template fragments).

One helper decides page-or-fragment: an htmx request gets the named block, a plain browser the
whole page, and every answer says ``Vary: HX-Request`` (and the language it is in: the reader's
cookie or Accept-Language, see app/web/language.py).
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from app import i18n

from .engine_words import TEMPLATE_NAMES, state_word
from .language import use_request_language

ROOT = Path(__file__).resolve().parents[2]
HTMX = "htmx-2.0.11.min.js"

env = Environment(
    loader=FileSystemLoader(ROOT / "templates"),
    autoescape=select_autoescape(["html", "svg"], default_for_string=True, default=True),
    trim_blocks=True,
    lstrip_blocks=True,
    extensions=["jinja2.ext.i18n"],
)
env.globals["htmx_file"] = HTMX
env.globals["languages"] = i18n.LANGUAGES
env.globals["Markup"] = Markup  # for markup inside a translated sentence: _("… %(code)s …", code=…)
env.globals["template_names"] = TEMPLATE_NAMES


env.globals["state_word"] = state_word
env.globals["sg_label"] = i18n.say_sg_rule  # a security group rule, its type in the reader's words

# A form, with the heading that names it when one comes right before it. Forms never nest.
FORM = re.compile(r"(?:<h3>(?:(?!</?h3>).)*</h3>\s*)?<form\b.*?</form>", re.DOTALL)


def without_forms(html: str) -> Markup:
    """An editor as someone who may only read the topology sees it: the resource's properties,
    and none of the forms that would change it (absent, not disabled)."""
    return Markup(FORM.sub("", str(html)))


env.filters["without_forms"] = without_forms
# The engine's decisions (hops, explanations, fixes, notes), worded in the reader's language
# from their message ids; results stored before the ids existed keep their English.
env.filters.update(
    say_hop=i18n.say_hop,
    say_explanation=i18n.say_explanation,
    say_fix=i18n.say_fix,
    say_note=i18n.say_note,
    say_hop_rule=i18n.say_hop_rule,
    say_chain_rule=i18n.say_chain_rule,
    say_component_name=i18n.say_component_name,
    say_error=lambda error: i18n.say_error(error) if hasattr(error, "message") else error,
)
# The reader's language is a ContextVar (app.i18n), so one environment serves every language.
env.install_gettext_callables(  # type: ignore[attr-defined]
    i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext, npgettext=i18n.npgettext
)

# The CSRF token of the request being answered (set by ``csrf.CsrfProtect``): every form renders
# it as a hidden ``csrf_token`` input, and <body> hands it to htmx as a header.
CSRF_TOKEN: ContextVar[str] = ContextVar("csrf_token", default="")
env.globals["csrf_token"] = CSRF_TOKEN.get


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def here(request: Request) -> str:
    """Where the language switch comes back to: this page, or for a form's answer the page the
    form was on (a POST's address cannot be opened again)."""
    if request.method == "GET":
        query = request.url.query
        return request.url.path + (f"?{query}" if query else "")
    referer = urlsplit(request.headers.get("Referer", ""))
    if referer.netloc == request.url.netloc and referer.path.startswith("/"):
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return "/"


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    block: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The whole page, or only ``block`` when htmx asked for it."""
    page = env.get_template(template)
    language = use_request_language(request)
    context = {"request": request, "lang": language, "here": here(request), **context}
    if block is not None and is_htmx(request):
        html = "".join(page.blocks[block](page.new_context(context)))
    else:
        html = page.render(context)
    return HTMLResponse(
        html, status_code=status_code, headers={"Vary": "HX-Request, Accept-Language, Cookie"}
    )


# A Content-Security-Policy without 'unsafe-inline' scripts: every script is a file of ours.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]
