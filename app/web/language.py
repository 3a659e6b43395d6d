"""Choosing the language: a link per language that works without JavaScript.

``GET /language/ja?next=/topologies/1`` keeps the choice in a cookie and goes back to the page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app import i18n
from app.accounts.actor import actor_of
from app.accounts.resolver import accounts_of

router = APIRouter(include_in_schema=False)

ONE_YEAR = 365 * 24 * 3600


def N_(message: str) -> str:  # gettext's name for "mark for translation only"
    """Marks a message id for Babel where it is defined; it is translated where it is shown."""
    return message


def request_language(request: Request) -> str:
    """The signed-in user's language (classroom mode), else the one the reader chose (the
    switch's cookie), else their browser's."""
    return i18n.negotiate(
        request.cookies.get(i18n.COOKIE),
        request.headers.get("Accept-Language"),
        account=request.scope.get("state", {}).get("account_language"),
    )


def use_request_language(request: Request) -> str:
    """Sets the reader's language for everything this request renders, and returns it."""
    language = request_language(request)
    i18n.current_language.set(language)
    return language


def local_path(target: str) -> str:
    """``target`` when it is a path of this site, else ``/``: the switch never sends a reader
    elsewhere (``//evil.example``, ``https://…``, ``/\\evil.example`` all become ``/``).

    >>> local_path("/topologies/3?select=vpc-1")
    '/topologies/3?select=vpc-1'
    >>> local_path("//evil.example/")
    '/'
    """
    parts = urlsplit(target)
    if (
        not target.startswith("/")
        or target.startswith(("//", "/\\"))
        or "\\" in target
        or parts.scheme
        or parts.netloc
        or any(ord(c) < 32 for c in target)
    ):
        return "/"
    return target


async def use_language(request: Request) -> None:
    """Every page's words in the reader's language (async: the ContextVar set here is the one
    the handler, and the thread it may run in, sees)."""
    use_request_language(request)


@router.get("/language/{language}")
def choose_language(language: str, request: Request, next: str = "/") -> Response:
    """Keeps the chosen language in a cookie and goes back to the page it was chosen on."""
    response = RedirectResponse(local_path(next), status_code=303)
    if language in i18n.LANGUAGES:
        response.set_cookie(i18n.COOKIE, language, max_age=ONE_YEAR, samesite="lax", httponly=True)
        actor = actor_of(request)
        if actor is not None and actor.role != "owner":
            # Signed in: the choice is their account's, on every computer (a GET, but it only
            # sets a preference, as the cookie does for everyone).
            accounts_of(request.scope).set_language(actor.user_id, language)
    return response
