"""Rendering: Jinja2 pages whose fragments are named blocks (template fragments).

One helper decides page-or-fragment: an htmx request gets the named block, a plain browser the
whole page, and every answer says ``Vary: HX-Request``.
"""

from __future__ import annotations

from contextvars import ContextVar
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

ROOT = Path(__file__).resolve().parents[2]
HTMX = "htmx-2.0.11.min.js"

env = Environment(
    loader=FileSystemLoader(ROOT / "templates"),
    autoescape=select_autoescape(["html", "svg"], default_for_string=True, default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
env.globals["htmx_file"] = HTMX

# The CSRF token of the request being answered (set by ``csrf.CsrfProtect``): every form renders
# it as a hidden ``csrf_token`` input, and <body> hands it to htmx as a header.
CSRF_TOKEN: ContextVar[str] = ContextVar("csrf_token", default="")
env.globals["csrf_token"] = CSRF_TOKEN.get


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


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
    context = {"request": request, **context}
    if block is not None and is_htmx(request):
        html = "".join(page.blocks[block](page.new_context(context)))
    else:
        html = page.render(context)
    return HTMLResponse(html, status_code=status_code, headers={"Vary": "HX-Request"})


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
