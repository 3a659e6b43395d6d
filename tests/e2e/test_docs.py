"""/docs renders offline: Swagger UI from the server's own files under its strict CSP, with
no request leaving the machine, no console error and no CSP violation."""

from __future__ import annotations

from typing import Any

import pytest

from .ui import screenshot

pytestmark = pytest.mark.browser


def test_the_api_docs_render_offline_under_the_csp(browser_page: Any) -> None:
    page = browser_page
    elsewhere: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(page.base) else elsewhere.append(r.url))
    response = page.goto(page.base + "/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock-summary-path", state="visible")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert len(paths) > 40 and "/api/v1/topologies/{topology_id}/analyses" in paths
    assert page.locator(".info .title").inner_text().startswith("VPC Lab")
    # An operation opens with its parameters and responses, 429 among the throttled ones.
    page.locator(".opblock-summary-path", has_text="/reachability-matrix").first.click()
    page.wait_for_selector(".opblock.is-open .responses-table")
    assert "429" in page.locator(".opblock.is-open .responses-table").inner_text()
    screenshot(page, "api-docs")
    assert elsewhere == []  # nothing from a CDN (the fixture also fails on console errors)
