"""The ``Host`` allow-list: a lab answers only to its own names.

A web page can point a name of its own at 127.0.0.1 (DNS rebinding) and then drive a learner's
local lab as if it were same-origin; the browser still sends that foreign name as ``Host``, so
refusing unknown names closes the door.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.errors import error_body

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def host_name(header: str) -> str:
    """The name of a ``Host`` header, without port or IPv6 brackets, lower case.

    >>> host_name("[::1]:8000"), host_name("LocalHost:8000"), host_name("lab.example.edu.")
    ('::1', 'localhost', 'lab.example.edu')
    """
    header = header.strip().lower()
    if header.startswith("["):
        name, bracket, rest = header[1:].partition("]")
        return name if bracket and (not rest or (rest[1:].isdigit() and rest[0] == ":")) else ""
    name, colon, port = header.rpartition(":")
    if not colon:
        name = header
    elif not port.isdigit() or ":" in name:
        return ""
    return name.rstrip(".")


class AllowedHosts:
    """ASGI middleware answering 400 to any ``Host`` not loopback nor in ``allowed``."""

    def __init__(self, app: ASGIApp, allowed: Iterable[str] = ()) -> None:
        self.app = app
        names = {host_name(n) or n.strip().lower() for n in allowed}
        self.any_name = "*" in names
        self.names = LOOPBACK | names

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.any_name:
            await self.app(scope, receive, send)
            return
        header = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
        if host_name(header) in self.names:
            await self.app(scope, receive, send)
            return
        message = (
            f"This lab does not answer to the name '{header[:100]}'. If it is yours, add it to "
            "VPCLAB_ALLOWED_HOSTS."
        )
        if scope["path"].startswith("/api/"):
            body = json.dumps(error_body("InvalidHost", message)).encode()
            kind = b"application/json"
        else:
            body, kind = message.encode(), b"text/plain; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 400,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})
