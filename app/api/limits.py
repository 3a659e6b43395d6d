"""Request limits: a body-size cap (413), and NUL characters refused (400) at the door.

PostgreSQL cannot store NUL in text, so a NUL in a path, query or JSON body is answered here
with a clear error instead of failing deep inside a query.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import error_body

NUL_ESCAPES = (b"\\u0000", b"\x00")


class _Refused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


async def _answer(send: Send, refusal: _Refused) -> None:
    body = json.dumps(error_body(refusal.code, refusal.message)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": refusal.status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RequestLimits:
    """ASGI middleware enforcing ``max_body_bytes``, refusing NUL characters, and adding
    ``headers`` (the security headers) to every response. Pure ASGI: cheap per request."""

    def __init__(
        self, app: ASGIApp, max_body_bytes: int, headers: list[tuple[bytes, bytes]] | None = None
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.headers = headers or []

    def _with_headers(self, send: Send) -> Send:
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in self.headers if n not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        return sending

    def _too_large(self) -> _Refused:
        return _Refused(
            413,
            "RequestTooLarge",
            f"The request body is larger than the limit of {self.max_body_bytes} bytes.",
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.headers:
            send = self._with_headers(send)
        nul = _Refused(
            400,
            "InvalidParameterValue",
            "NUL characters are not allowed in names, ids or any other value.",
        )
        raw_path = scope.get("raw_path") or scope.get("path", "").encode()
        if any(n in raw_path for n in (b"%00", b"\x00")) or b"%00" in scope.get(
            "query_string", b""
        ):
            await _answer(send, nul)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body_bytes:
            await _answer(send, self._too_large())
            return
        # Read the whole body first (FastAPI would buffer it anyway), then replay it.
        chunks: list[bytes] = []
        received = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([], message, receive), send)
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_body_bytes:
                await _answer(send, self._too_large())
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if any(n in body for n in NUL_ESCAPES):
            await _answer(send, nul)
            return
        await self.app(scope, _replay([body], None, receive), send)


def _replay(bodies: list[bytes], final: Message | None, upstream: Receive) -> Receive:
    """Give the app the buffered body, then whatever the client does next (e.g. disconnect)."""
    pending = list(bodies)
    last = [final]

    async def receive() -> Message:
        if pending:
            return {"type": "http.request", "body": pending.pop(0), "more_body": False}
        if last[0] is not None:
            message, last[0] = last[0], None
            return message
        return await upstream()

    return receive
