"""The error body of the contract: ``{"error": {"code", "message"}}`` on every 4xx/5xx."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.engine import AwsError, InvalidBundle
from app.i18n import negotiate, reading, say_error

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
    }
)


def status_for(error: AwsError) -> int:
    """400 invalid value or quota, 404 unknown id, 409 conflict with existing state."""
    code = error.code
    if code in CONFLICT_CODES or code.endswith(".Duplicate") or "AlreadyExists" in code:
        return 409
    if code.endswith("NotFound") and not isinstance(error, InvalidBundle):
        return 404
    return 400


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **extra}}


def install(app: FastAPI) -> None:
    @app.exception_handler(AwsError)
    async def aws_error(request: Request, error: AwsError) -> JSONResponse:
        extra = {"resource_id": error.resource_id} if error.resource_id else {}
        with reading(negotiate(None, request.headers.get("accept-language"))):
            message = say_error(error)  # in the reader's language; the code never translates
        return JSONResponse(error_body(error.code, message, **extra), status_code=status_for(error))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        problems = error.errors()
        first = problems[0] if problems else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "body"
        code = "MissingParameter" if first.get("type") == "missing" else "InvalidParameterValue"
        message = f"{where}: {first.get('msg', 'invalid value')}."
        if first.get("type") == "json_invalid":
            code, message = "MalformedJSON", "The request body is not valid JSON."
        return JSONResponse(error_body(code, message), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        codes = {404: "NotFound", 405: "MethodNotAllowed", 413: "RequestTooLarge"}
        code = codes.get(error.status_code, f"Http{error.status_code}")
        message = str(error.detail)
        if error.status_code == 404 and message == "Not Found":
            message = f"There is nothing at {request.url.path}; see /docs for the API."
        elif error.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}."
        return JSONResponse(
            error_body(code, message),
            status_code=error.status_code,
            headers=getattr(error, "headers", None),
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
