"""The OpenAPI document of a classroom-mode server names its bearer scheme.

Classroom mode: every /api/v1 route but /health acts as the user of a personal API token
(``Authorization: Bearer``; or a signed-in browser's cookie, same-site only), checked by
``app.accounts.identify``. Personal mode needs no token and ignores the header, so its document
declares no security: each server's document says what that server asks for.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

SCHEME = "PersonalApiToken"
OPEN_PATHS = frozenset({"/api/v1/health"})


def document_bearer(app: FastAPI) -> None:
    """Add the ``PersonalApiToken`` HTTP bearer scheme to ``app``'s OpenAPI document, required
    by every /api/v1 operation but the open ones."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        spec = build()
        spec.setdefault("components", {}).setdefault("securitySchemes", {})[SCHEME] = {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "vpclab_…",
            "description": (
                "A personal API token, created on the account page of the lab (/account), sent "
                "as `Authorization: Bearer <token>`. Without a valid one the API answers 401 "
                "AuthFailure."
            ),
        }
        for path, operations in spec.get("paths", {}).items():
            if not path.startswith("/api/v1/") or path in OPEN_PATHS:
                continue
            for operation in operations.values():
                if isinstance(operation, dict):
                    operation["security"] = [{SCHEME: []}]
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]
