"""Errors as pages: a browser asking a page for something missing or broken gets a page in the
lab's layout; the JSON API (and anyone not asking for HTML) keeps the contract's JSON body."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app import i18n
from app.engine import AwsError

from .language import N_, use_request_language
from .render import SECURITY_HEADERS, render

Handler = Callable[[Request, Exception], Response | Awaitable[Response]]

TITLES = {
    400: N_("That request was refused"),
    403: N_("Read only"),
    404: N_("Nothing here"),
    405: N_("Not something this page does"),
    500: N_("Something went wrong"),
}
OTHER_ERROR = N_("That did not work")


def wants_page(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get(
        "accept", ""
    )


def error_page(request: Request, status: int, message: str) -> Response:
    parts = request.url.path.strip("/").split("/")
    in_topology = len(parts) > 2 and parts[0] == "topologies" and status != 404
    return render(
        request,
        "error.html",
        {
            "title": TITLES.get(status, OTHER_ERROR),
            "message": message,
            "back": f"/topologies/{parts[1]}" if in_topology else "/",
        },
        block="content",
        status_code=status,
    )


def _as_page(previous: Handler) -> Handler:
    async def handler(request: Request, error: Exception) -> Response:
        answer = previous(request, error)
        response = answer if isinstance(answer, Response) else await answer
        if response.status_code >= 500:
            # 500s are answered outside the middleware that adds these to every other answer.
            for name, value in SECURITY_HEADERS:
                response.headers.setdefault(name.decode(), value.decode())
        if not wants_page(request):
            return response
        message = json.loads(bytes(response.body))["error"]["message"]
        use_request_language(request)
        if isinstance(error, AwsError):
            message = f"{error.code}: {i18n.say_error(error)}"
        elif response.status_code == 404 and isinstance(error, HTTPException):
            message = i18n.gettext("There is no page at %(path)s.") % {"path": request.url.path}
        page = error_page(request, response.status_code, message)
        for key, kept in response.headers.items():
            if key.lower() not in ("content-type", "content-length"):
                page.headers.setdefault(key, kept)
        return page

    return handler


def install(app: FastAPI) -> None:
    """Wrap the JSON error handlers already installed (``app.api.errors``) with pages."""
    for kind in (HTTPException, AwsError, Exception):
        app.add_exception_handler(kind, _as_page(app.exception_handlers[kind]))
