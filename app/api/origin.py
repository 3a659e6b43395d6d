"""Cross-site writes to the JSON API are refused: a browser on another site may not change a lab.

Browsers say where a request comes from (``Origin``, ``Sec-Fetch-Site``); scripts (curl, httpx)
send neither and are not affected. Once the API accepts a session cookie, this is what keeps
another site from using it.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import error_body

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DEFAULT_PORTS = {"http": 80, "https": 443}


def same_origin(origin: str, host: str) -> bool:
    """Whether ``Origin`` names the server reached through ``Host`` (scheme aside: a proxy in
    front may end TLS).

    >>> same_origin("http://localhost:8000", "localhost:8000"), same_origin("null", "x")
    (True, False)
    """
    try:
        parts = urlsplit(origin)
        served = urlsplit(f"//{host}")
        port, served_port = parts.port, served.port
    except ValueError:
        return False
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return False
    # A Host without a port was reached on the scheme's default one, which Origin leaves out.
    default = DEFAULT_PORTS[parts.scheme]
    return parts.hostname == served.hostname and (port or default) == (served_port or default)


class CrossSiteApiGuard:
    """ASGI middleware: a state-changing ``/api/v1`` request from another site answers 403."""

    def __init__(
        self, app: ASGIApp, prefix: str = "/api/", *, bearer_allowed: bool = False
    ) -> None:
        self.app = app
        self.prefix = prefix
        # Classroom mode: a request with ``Authorization: Bearer`` is judged by its token alone
        # (app.accounts.identify), which no other site can make a browser send; only a cookie
        # is ambient. Personal mode ignores tokens (everyone is the local owner): no exemption.
        self.bearer_allowed = bearer_allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] in SAFE_METHODS
            or not scope["path"].startswith(self.prefix)
        ):
            await self.app(scope, receive, send)
            return
        headers = {k: v.decode("latin-1") for k, v in scope.get("headers") or []}
        if self.bearer_allowed and headers.get(b"authorization", "").lower().startswith("bearer "):
            await self.app(scope, receive, send)
            return
        origin = headers.get(b"origin")
        cross_site = headers.get(b"sec-fetch-site") == "cross-site" or (
            origin is not None and not same_origin(origin, headers.get(b"host", ""))
        )
        if not cross_site:
            await self.app(scope, receive, send)
            return
        body = json.dumps(
            error_body(
                "UnauthorizedOperation",
                f"A page of another site ({origin or 'unknown origin'}) may not change this lab: "
                "the API accepts changes from this lab's own pages and from scripts.",
            )
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
