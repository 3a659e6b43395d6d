"""Step through seed 002's blocked ping in the browser with the keyboard: → and ← go from hop to
hop (each a page of its own), the diagram marks the hop's component, the panel its rule list
with the rule that decided, or the default deny at the security group."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .ui import run_test_connection, screenshots_at_common_sizes

pytestmark = pytest.mark.browser


def at_step(page: Any, number: int) -> None:
    page.wait_for_url(re.compile(rf"/step/{number}$"))
    page.wait_for_load_state("load")


def test_stepping_a_blocked_ping_with_the_arrow_keys(browser_page: Any) -> None:
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(page.base + "/")
    page.fill("#new-name", "Seed 002 — step through")
    page.check("input[name=template][value=seed-002-ssh]")
    page.click("button:text-is('Create topology')")
    page.wait_for_url(re.compile(r"/topologies/\w+$"))
    run_test_connection(
        page,
        source="The internet",
        destination="myinstance-0001",
        preset="ping",
        button="Test and save",
    )
    page.click("a:text('Step through, hop by hop')")
    at_step(page, 1)
    assert page.inner_text(".step-position").startswith("Hop 1 of ")
    assert "node-internet-gateway" in page.get_attribute(".diagram .step-current", "class")
    changed = page.locator(".step-headers tr.changed")
    assert changed.count() == 1 and changed.get_attribute("data-field") == "destination_ip"
    assert changed.locator("td code").nth(1).inner_text() == "192.168.1.4"
    screenshots_at_common_sizes(page, "step-en-translated")

    page.keyboard.press("ArrowRight")
    at_step(page, 2)
    assert "chip-network-acl" in page.get_attribute(".diagram .step-current", "class")
    assert (
        page.locator(".step-rules.applies tr.matched")
        .inner_text()
        .startswith("100 ALL ALL 0.0.0.0/0 ALLOW")
    )
    assert page.locator(".step-headers tr.changed").count() == 0

    page.keyboard.press("ArrowRight")
    at_step(page, 3)
    assert "chip-security-group" in page.get_attribute(".diagram .step-current", "class")
    assert page.locator(".step-rules tr.matched").count() == 0
    assert page.inner_text(".default-deny") == "No rule matched → default deny."
    assert page.locator(".step-events [aria-current=step]").inner_text().split() == [
        "3", "Security", "group", "blocked",
    ]  # fmt: skip
    screenshots_at_common_sizes(page, "step-en-blocked")

    page.keyboard.press("ArrowRight")
    at_step(page, 4)
    assert page.inner_text(".step-panel h2 .badge").lower() == "would be forwarded"
    assert page.locator(".step-panel .would-note").is_visible()

    page.keyboard.press("ArrowLeft")
    at_step(page, 3)
    page.keyboard.press("ArrowLeft")
    at_step(page, 2)
    assert "chip-network-acl" in page.get_attribute(".diagram .step-current", "class")

    page.click(".language-switch a[lang=ja]")
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "ja"
    page.keyboard.press("ArrowRight")
    at_step(page, 3)
    assert page.inner_text(".default-deny") == "一致するルールなし → デフォルトで拒否。"
    assert page.inner_text(".step-position").startswith("ホップ 3 / ")
    screenshots_at_common_sizes(page, "step-ja-blocked")
    assert "step-motion" in (page.get_attribute(".step-through", "class") or "")

    # Asked for less motion: the outline does not pulse.
    page.emulate_media(reduced_motion="reduce")
    page.reload()
    assert "step-motion" not in (page.get_attribute(".step-through", "class") or "")
    assert page.eval_on_selector(
        ".diagram .step-current > rect", "e => getComputedStyle(e).animationName"
    ) in ("none", "")
