"""The header's language switch in the browser: after htmx has swapped a part of the page and
pushed its address, switching language comes back to that page, not to the first one loaded."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from .ui import click_in_diagram, screenshot

pytestmark = pytest.mark.browser


def here(page: Any) -> str:
    address = urlsplit(page.url)
    return address.path + (f"?{address.query}" if address.query else "")


def test_switching_language_after_htmx_swaps_returns_to_the_page_the_learner_is_on(
    browser_page: Any,
) -> None:
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(page.base + "/")
    page.fill("#new-name", "Seed 002 — language switch")
    page.check("input[name=template][value=seed-002-ssh]")
    page.click("button:text-is('Create topology')")
    page.wait_for_url(re.compile(r"/topologies/\w+$"))
    first = here(page)

    click_in_diagram(page, "a.node-instance", "myinstance-0001")  # an htmx swap, address pushed
    chosen = here(page)
    assert chosen.startswith(first + "?select=i-"), chosen
    assert page.locator("html").get_attribute("lang") == "en"

    page.click(".language-switch a[lang=ja]")
    page.wait_for_load_state("networkidle")

    assert here(page) == chosen  # the instance's editor, not the topology's first page
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.locator(".language-switch .current").inner_text() == "日本語"
    instance_id = chosen.rsplit("=", 1)[1]
    assert instance_id in page.locator("#editor").inner_text()
    screenshot(page, "language-switch-after-swap-ja", full_page=False)

    click_in_diagram(page, "a.node-subnet")  # another swap, in Japanese this time
    subnet = here(page)
    assert subnet != chosen and "?select=subnet-" in subnet
    page.click(".language-switch a[lang=en]")
    page.wait_for_load_state("networkidle")

    assert here(page) == subnet
    assert page.locator("html").get_attribute("lang") == "en"
