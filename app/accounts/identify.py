"""Who is asking, decided once per request before any route runs.

Personal mode: always the local owner. Classroom mode: the user of a valid session cookie
or ``Authorization: Bearer`` token, else nobody (pages then ask to sign in, the API answers
401 ``AuthFailure``).
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from app.accounts.actor import LOCAL_OWNER, Actor


class Identify:
    """Puts the request's ``Actor`` (or None) in ``scope["state"]["actor"]``."""

    def __init__(
        self, app: ASGIApp, *, mode: str, resolve: Callable[[Scope], Actor | None] | None = None
    ) -> None:
        self.app = app
        self.mode = mode
        self.resolve = resolve

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            state = scope.setdefault("state", {})
            if self.mode == "personal":
                state["actor"] = LOCAL_OWNER
            else:
                state["actor"] = self.resolve(scope) if self.resolve else None
        await self.app(scope, receive, send)
