"""/docs: Swagger UI over the OpenAPI document, served from vendored files (no CDN), so it
renders offline and under the same Content-Security-Policy as every page: no inline script."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

# The swagger-ui-dist npm package's files, as published (static/swagger-ui-dist-<version>/).
SWAGGER_UI = "/static/swagger-ui-dist-5.35.0"

router = APIRouter(include_in_schema=False)


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    """The API's interactive documentation."""
    title = escape(f"{request.app.title} API")
    openapi = escape(request.app.openapi_url or "/openapi.json")
    return HTMLResponse(
        f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title}</title>
  <link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="{SWAGGER_UI}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="{SWAGGER_UI}/swagger-ui-bundle.js"></script>
  <script src="/static/swagger-ui-init.js" data-openapi-url="{openapi}"></script>
</body>
</html>
"""
    )
