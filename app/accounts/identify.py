"""Who is asking, decided once per request before any route runs.

Personal mode: always the local owner. Classroom mode: the user of a valid session cookie
or ``Authorization: Bearer`` token, else nobody (pages then ask to sign in, the API answers
401 ``AuthFailure``).

The session cookie holds a login session's random id, signed with the server's key
(``app.server_secret``); the database keeps only the id's SHA-256 (``app.accounts.store``).
A request with an ``Authorization`` header is judged by that header alone: a script's token
never falls back to a browser's cookie, and a bad token is a 401 even beside a good cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import quote, urlsplit

import anyio.to_thread
from starlette.types import ASGIApp, Receive, Scope, Send

from app.accounts.actor import LOCAL_OWNER, Actor
from app.engine.messages import message, text
from app.i18n import negotiate, reading, say

COOKIE = "vpclab_session"
# Paths anyone may open in classroom mode: signing in and joining a class need no account.
PUBLIC_PATHS = ("/login", "/join")
PUBLIC_PREFIXES = ("/static/", "/language/", "/api/v1/health")
# Pages a user who must change their password may still open.
PASSWORD_PATHS = ("/account/password", "/logout")


class SessionCookie:
    """The signed value of the session cookie: ``<session id>.<HMAC-SHA256 of it>``."""

    def __init__(self, key: Callable[[], bytes]) -> None:
        self.key = key

    def _sign(self, secret: str) -> str:
        return hmac.new(self.key(), f"session:{secret}".encode(), hashlib.sha256).hexdigest()

    def value(self, secret: str) -> str:
        return f"{secret}.{self._sign(secret)}"

    def secret_in(self, value: str) -> str | None:
        secret, _, signature = value.rpartition(".")
        if secret and hmac.compare_digest(signature, self._sign(secret)):
            return secret
        return None


# The API's refusal of a request nobody signed in for, said in the reader's language.
text(
    "access.api.token_not_valid",
    "This API token is not valid (revoked, or mistyped): create a new one on your account page.",
)
text(
    "access.api.sign_in_first",
    "Sign in first: send a personal API token as 'Authorization: Bearer <token>' (create one "
    "on your account page of the lab).",
)


def header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers") or []:
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def cookie(scope: Scope, name: str) -> str:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header(scope, b"cookie"))
    except Exception:  # a malformed Cookie header carries no session
        return ""
    morsel = jar.get(name)
    return morsel.value if morsel else ""


def bearer_token(scope: Scope) -> str | None:
    """The token of ``Authorization: Bearer <token>`` ('' for another scheme), None without
    the header."""
    value = header(scope, b"authorization")
    if not value:
        return None
    scheme, _, token = value.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


class Identify:
    """Puts the request's ``Actor`` (or None) in ``scope["state"]["actor"]``.

    In classroom mode it also keeps the door: without an actor, pages other than
    ``PUBLIC_PATHS`` redirect to ``/login?next=<page>`` and the JSON API answers 401
    ``AuthFailure``; a user who must change their password is sent to that page first.
    ``resolve`` may add to the state what it learnt (``app.accounts.web.resolver``).
    """

    def __init__(
        self, app: ASGIApp, *, mode: str, resolve: Callable[[Scope], Actor | None] | None = None
    ) -> None:
        self.app = app
        self.mode = mode
        self.resolve = resolve

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        if self.mode == "personal":
            state["actor"] = LOCAL_OWNER
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        # A database read: in a worker thread, so the event loop keeps serving others. A static
        # file is the same for everyone: no read for it.
        resolve = None if path.startswith("/static/") else self.resolve
        actor = await anyio.to_thread.run_sync(resolve, scope) if resolve else None
        state["actor"] = actor
        if scope["type"] != "http" or is_public(path):
            await self.app(scope, receive, send)
        elif actor is None:
            await self._refuse(scope, send)
        elif (
            state.get("must_change_password")
            and not path.startswith("/api/")
            and path not in PASSWORD_PATHS
        ):
            await _redirect(scope, send, "/account/password")
        else:
            await self.app(scope, receive, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        if scope["path"].startswith("/api/"):
            given = bearer_token(scope)
            challenge = 'Bearer realm="VPC Lab"'
            if given is not None:
                challenge += ', error="invalid_token"'
            said = message(
                "access.api.token_not_valid" if given is not None else "access.api.sign_in_first"
            )
            with reading(negotiate(None, header(scope, b"accept-language"))):
                words = say(said.id, said.params, said.english())
            # EC2 answers AuthFailure when "the provided credentials could not be validated"
            # (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html).
            body = json.dumps({"error": {"code": "AuthFailure", "message": words}}).encode()
            await _send(
                send,
                401,
                body,
                [(b"content-type", b"application/json"), (b"www-authenticate", challenge.encode())],
            )
            return
        await _redirect(scope, send, "/login", back=_where(scope))


def _where(scope: Scope) -> str:
    """The page to come back to after signing in: this one, or (for a form or htmx) the page
    the request was sent from."""
    if scope["method"] in ("GET", "HEAD") and not header(scope, b"hx-request"):
        query = scope.get("query_string", b"").decode("latin-1")
        return scope["path"] + (f"?{query}" if query else "")
    referer = urlsplit(header(scope, b"hx-current-url") or header(scope, b"referer"))
    if referer.path.startswith("/") and not referer.path.startswith("//"):
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return "/"


async def _redirect(scope: Scope, send: Send, target: str, back: str = "") -> None:
    if back and back != "/":
        target += "?next=" + quote(back, safe="/")
    location = target.encode("latin-1", "replace")
    if header(scope, b"hx-request"):
        # htmx follows a redirect inside the page; HX-Redirect makes it a full navigation.
        await _send(send, 401, b"", [(b"hx-redirect", location)])
    else:
        await _send(send, 303, b"", [(b"location", location)])


async def _send(send: Send, status: int, body: bytes, headers: list[Any]) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [*headers, (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
