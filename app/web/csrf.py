"""CSRF protection of the pages: the synchronizer-token pattern, kept in a signed cookie.

The browser holds a random secret in a signed, ``HttpOnly``, ``SameSite=Lax`` cookie (set on the
first page it gets). Each form carries a token derived from that secret with the server's key
(HMAC), as a hidden ``csrf_token`` input or, for htmx, an ``X-CSRF-Token`` header. Another site
can make the browser send the cookie but can neither read it nor compute the token, so every
POST/PUT/PATCH/DELETE to the pages without the right token answers 403 and changes nothing.

When accounts arrive, bind the token to the session instead: ``token_for(session_id)``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from functools import cache
from http.cookies import SimpleCookie

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .language import N_
from .render import CSRF_TOKEN, render

COOKIE = "vpclab_csrf"
HEADER = b"x-csrf-token"
FIELD = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class CsrfTokens:
    """Secrets for the cookie, and the tokens the forms carry, all signed with one key."""

    def __init__(self, key: bytes) -> None:
        self.key = key

    def _sign(self, purpose: str, value: str) -> str:
        message = f"{purpose}:{value}".encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()

    @staticmethod
    def new_secret() -> str:
        return secrets.token_urlsafe(32)

    def cookie_for(self, secret: str) -> str:
        return f"{secret}.{self._sign('cookie', secret)}"

    def secret_in(self, cookie: str) -> str | None:
        """The secret of a cookie this server signed, else None."""
        secret, _, signature = cookie.rpartition(".")
        if secret and hmac.compare_digest(signature, self._sign("cookie", secret)):
            return secret
        return None

    def token_for(self, secret: str) -> str:
        return self._sign("token", secret)


def _cookie_value(scope: Scope) -> str:
    header = dict(scope.get("headers") or []).get(b"cookie", b"").decode("latin-1")
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except Exception:  # a malformed Cookie header is no cookie of ours
        return ""
    morsel = jar.get(COOKIE)
    return morsel.value if morsel else ""


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, upstream: Receive) -> Receive:
    sent = [False]

    async def receive() -> Message:
        if not sent[0]:
            sent[0] = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await upstream()

    return receive


async def _token_in_form(scope: Scope, body: bytes) -> str:
    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    request = Request(scope, receive)
    try:
        form = await request.form()
    except Exception:  # not a form, or a broken one: it carries no token
        return ""
    try:
        value = form.get(FIELD)
        return value if isinstance(value, str) else ""
    finally:
        await form.close()


def refusal_page(request: Request) -> Response:
    """403: what happened, and the way back to the page the form came from."""
    parts = request.url.path.strip("/").split("/")
    back = f"/topologies/{parts[1]}" if len(parts) > 2 and parts[0] == "topologies" else "/"
    return render(
        request,
        "error.html",
        {
            "title": N_("The form was not sent"),
            "message": N_(
                "This change came without the security token of a page of this lab (the page "
                "may be out of date, or another site tried to send it), so nothing was changed. "
                "Go back, reload the page and try again."
            ),
            "back": back,
        },
        block="content",
        status_code=403,
    )


class CsrfProtect:
    """ASGI middleware for every path outside ``exempt`` (the JSON API, static files)."""

    def __init__(
        self,
        app: ASGIApp,
        key: Callable[[], bytes],
        exempt: tuple[str, ...] = ("/api/", "/static/"),
        secure: bool = False,
    ) -> None:
        self.app = app
        self.secure = secure  # the cookie marked Secure (behind HTTPS: VPCLAB_SECURE_COOKIES)
        self.key = cache(key)  # read (or generated) when the first page is asked for
        self.exempt = exempt

    def _set_cookie(self, tokens: CsrfTokens, secret: str) -> tuple[bytes, bytes]:
        jar: SimpleCookie = SimpleCookie()
        jar[COOKIE] = tokens.cookie_for(secret)
        jar[COOKIE]["path"] = "/"
        jar[COOKIE]["httponly"] = True
        jar[COOKIE]["samesite"] = "Lax"
        if self.secure:
            jar[COOKIE]["secure"] = True
        return b"set-cookie", jar[COOKIE].OutputString().encode("latin-1")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.exempt):
            await self.app(scope, receive, send)
            return
        tokens = CsrfTokens(self.key())
        secret = tokens.secret_in(_cookie_value(scope))
        fresh = secret is None
        if secret is None:
            secret = tokens.new_secret()
        expected = tokens.token_for(secret)
        if fresh:
            cookie = self._set_cookie(tokens, secret)
            upstream_send = send

            async def send(message: Message) -> None:
                if message["type"] == "http.response.start":
                    message = {**message, "headers": [*message.get("headers", []), cookie]}
                await upstream_send(message)

        refused = False
        if scope["method"] in UNSAFE_METHODS:
            sent = dict(scope.get("headers") or []).get(HEADER, b"").decode("latin-1")
            if not sent:
                body = await _read_body(receive)
                receive = _replay(body, receive)
                sent = await _token_in_form(scope, body)
            refused = fresh or not hmac.compare_digest(sent.encode(), expected.encode())
        reset = CSRF_TOKEN.set(expected)
        try:
            if refused:
                await refusal_page(Request(scope))(scope, receive, send)
            else:
                await self.app(scope, receive, send)
        finally:
            CSRF_TOKEN.reset(reset)
