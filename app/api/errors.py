"""The error body of the contract: ``{"error": {"code", "message"}}`` on every 4xx/5xx."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from app.engine import AwsError, InvalidBundle
from app.i18n import negotiate, reading, say_error
from app.jobs import ClientGone
from app.throttle import TooManyRequests

log = logging.getLogger("vpclab")

CONFLICT_CODES = frozenset(
    {
        "DependencyViolation",
        "Resource.AlreadyAssociated",
        "InvalidSubnet.Conflict",
        "InvalidIPAddress.InUse",
        "CannotDelete",
        "IncorrectInstanceState",
        "InvalidStateTransition",
        "InvalidNetworkInterface.InUse",
        "OperationNotPermitted",
        "Gateway.NotAttached",
        "IncorrectState",
    }
)


def status_for(error: AwsError) -> int:
    """400 invalid value or quota, 401 not signed in, 403 may read but not change, 404 unknown
    (or somebody else's) id, 409 conflict with existing state."""
    code = error.code
    if code == "AuthFailure":
        return 401
    if code == "UnauthorizedOperation":
        return 403  # visible but not theirs to change (an instructor reading a student's lab)
    if code in CONFLICT_CODES or code.endswith(".Duplicate") or "AlreadyExists" in code:
        return 409
    if code.endswith("NotFound") and not isinstance(error, InvalidBundle):
        return 404
    return 400


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **extra}}


# A request whose body cannot be parsed at all (not JSON, not UTF-8, nested past any reason) is
# EC2's MalformedQueryString, "The query string contains a syntax error": in EC2's Query API the
# parameters *are* the query string, here they are the JSON body. InvalidParameterValue is for
# one parameter's value. https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
MALFORMED = "MalformedQueryString"

METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path (Starlette's 405 names only the first
    route's). Each method is asked of the router as a request would be: routes may be nested
    in included routers."""
    routes = request.app.router.routes
    return [
        method
        for method in METHOD_ORDER
        if any(r.matches({**request.scope, "method": method})[0] is Match.FULL for r in routes)
    ]


def install(app: FastAPI) -> None:
    @app.exception_handler(AwsError)
    async def aws_error(request: Request, error: AwsError) -> JSONResponse:
        extra = {"resource_id": error.resource_id} if error.resource_id else {}
        with reading(negotiate(None, request.headers.get("accept-language"))):
            message = say_error(error)  # in the reader's language; the code never translates
        return JSONResponse(error_body(error.code, message, **extra), status_code=status_for(error))

    @app.exception_handler(TooManyRequests)
    async def too_many(request: Request, error: TooManyRequests) -> JSONResponse:
        with reading(negotiate(None, request.headers.get("accept-language"))):
            message = say_error(error)
        return JSONResponse(
            error_body(error.code, message),
            status_code=429,
            headers={"Retry-After": str(error.retry_after)},
        )

    @app.exception_handler(ClientGone)
    async def client_gone(_: Request, __: ClientGone) -> Response:
        # Nobody reads this: the client closed the connection (nginx logs such a request
        # as 499). Answering normally keeps the server's log free of errors.
        return Response(status_code=499)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        problems = error.errors()
        first = problems[0] if problems else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "body"
        code = "MissingParameter" if first.get("type") == "missing" else "InvalidParameterValue"
        message = f"{where}: {first.get('msg', 'invalid value')}."
        if first.get("type") == "json_invalid":
            reason = first.get("ctx", {}).get("error", "a syntax error")
            message = f"The request body is not valid JSON: {reason} (at character {where})."
            return JSONResponse(error_body(MALFORMED, message), status_code=400)
        return JSONResponse(error_body(code, message), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        codes = {400: MALFORMED, 404: "NotFound", 405: "MethodNotAllowed", 413: "RequestTooLarge"}
        code = codes.get(error.status_code, f"Http{error.status_code}")
        message = str(error.detail)
        headers = dict(getattr(error, "headers", None) or {})
        if error.status_code == 400 and message == "There was an error parsing the body":
            message = (
                "The request body could not be parsed: send JSON in UTF-8 with "
                "Content-Type: application/json."
                if request.url.path.startswith("/api/")
                else "The form could not be parsed; send it again from the page."
            )
        elif error.status_code == 404 and message == "Not Found":
            message = f"There is nothing at {request.url.path}; see /docs for the API."
        elif error.status_code == 405:
            allowed = allowed_methods(request)
            headers["Allow"] = ", ".join(allowed)
            message = (
                f"{request.method} is not allowed on {request.url.path}; "
                f"it answers {', '.join(allowed)}."
            )
        return JSONResponse(
            error_body(code, message), status_code=error.status_code, headers=headers or None
        )

    @app.exception_handler(Exception)
    async def defect(_: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=error)
        return JSONResponse(
            error_body(
                "InternalError",
                "Something went wrong in the lab; this is a defect, please report it.",
            ),
            status_code=500,
        )
