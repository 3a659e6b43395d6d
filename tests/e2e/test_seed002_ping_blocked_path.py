"""Seed 002's warning in the browser: ping from home is blocked by the security group. The page
shows the block, then what would happen once it is fixed, greyed; the diagram marks the security
group with a red ✕ and draws the path solid only up to the block."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import ARTIFACTS
from .ui import run_test_connection

pytestmark = pytest.mark.browser

MUTED = "rgb(95, 107, 122)"  # --muted in lab.css


def test_a_blocked_ping_greys_what_would_follow_and_marks_the_group(browser_page: Any) -> None:
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(page.base + "/")
    page.fill("#new-name", "Seed 002 — ping from home")
    page.check("input[name=template][value=seed-002-ssh]")
    page.click("button:text-is('Create topology')")
    page.wait_for_url(re.compile(r"/topologies/\w+$"))

    ping = run_test_connection(
        page, source="The internet", destination="myinstance-0001", preset="ping"
    )

    assert ping["verdict"].startswith("✘ Not reachable: 1 problem on the way")
    assert ping["codes"] == ["ENI_SG_RULES_MISMATCH"]
    assert ping["forward_actions"][:3] == ["TRANSLATED", "ALLOWED", "BLOCKED"]
    assert ping["forward_actions"][3:] == ["WOULD BE FORWARDED", "WOULD BE DELIVERED"]
    notes = page.locator(".would-be-note").all_inner_texts()
    assert notes[0] == "If the block above were fixed, the packet would go on:"
    assert notes[1].startswith("While the request is blocked, no reply comes back.")
    would_be = page.locator(".hops.would-be .hop")
    assert would_be.count() == 2 + page.locator(".path-ret .hop").count()
    assert {would_be.nth(i).evaluate("e => getComputedStyle(e).color") for i in (0, 1)} == {MUTED}
    assert page.locator(".hops.would-be .badge.ok").count() == 0  # never a green "delivered"
    texts = " ".join(would_be.all_inner_texts())
    assert " receives " not in texts and " reaches " not in texts

    blocked = page.locator("svg.diagram a.chip-security-group.blocked")
    assert blocked.count() == 1 and "ssh" in (blocked.text_content() or "")
    assert blocked.locator(".block-mark text").text_content() == "✕"
    assert page.locator("svg.diagram .block-mark").count() == 1
    solid = page.locator("svg.diagram polyline.trace-forward:not(.trace-after)")
    assert solid.count() == 1  # the internet to the internet gateway
    assert page.locator("svg.diagram polyline.trace-after").count() == 2  # on to the instance, back
    instance = page.locator("svg.diagram a.node-instance", has_text="myinstance-0001")
    assert "after-forward" in (instance.get_attribute("class") or "")
    assert "on-forward" not in (instance.get_attribute("class") or "")

    page.locator("svg.diagram").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "seed002-ping-blocked-diagram.png"))
    page.locator(".path-fwd .hop-blocked").evaluate("e => e.scrollIntoView()")
    page.screenshot(path=str(ARTIFACTS / "seed002-ping-blocked-trace.png"))
