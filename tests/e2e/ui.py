"""What a learner does in the lab, as small steps over Playwright's page."""

from __future__ import annotations

import re
from typing import Any

from .conftest import ARTIFACTS


def settle(page: Any) -> None:
    page.wait_for_load_state("networkidle")


def swapped(page: Any, act: Any) -> None:
    """Do ``act`` and wait until htmx has swapped and settled the answer."""
    page.evaluate("""() => { window.__settled = false;
        document.body.addEventListener('htmx:afterSettle', () => { window.__settled = true },
                                       {once: true}); }""")
    act()
    page.wait_for_function("() => window.__settled === true")


def submit(page: Any, form: str, button: str | None = None) -> None:
    """Press a form's submit button and wait for htmx to swap the answer in."""
    scope = page.locator(f"form[aria-label='{form}']").first
    target = scope.locator(f"button:text-is('{button}')") if button else scope.locator("button")
    swapped(page, target.first.click)
    errors = page.locator("[role=alert]").all_inner_texts()
    assert not errors, f"the lab refused {form!r}: {errors}"


def choose(page: Any, selector: str, *texts: str) -> None:
    """Pick the options whose label contains each text (works for multi-selects too)."""
    values = []
    for text in texts:
        if page.locator(selector).count() == 0:
            screenshot(page, "failure-" + selector.strip("#"))
            raise AssertionError(f"{selector} is not on the page: {page.inner_text('.inspector')}")
        value = page.eval_on_selector(
            selector, "(s, t) => [...s.options].find(o => o.text.includes(t))?.value", text
        )
        assert value is not None, f"no option with {text!r} in {selector}"
        values.append(value)
    page.select_option(selector, values if len(values) > 1 else values[0])


def open_create(page: Any, label: str) -> None:
    swapped(page, page.locator(".add-menu a", has_text=re.compile(f"^{re.escape(label)}$")).click)


def click_in_diagram(page: Any, css: str, text: str = "") -> None:
    locator = page.locator(f"svg.diagram {css}")
    if text:
        locator = locator.filter(has_text=text)
    swapped(page, locator.first.click)


def run_test_connection(
    page: Any,
    *,
    source: str,
    destination: str,
    preset: str,
    source_ip: str = "",
    button: str = "Test connection",
) -> dict[str, Any]:
    choose(page, "#test-source", source)
    if source_ip:
        page.fill("#test-source-ip", source_ip)
    choose(page, "#test-destination", destination)
    page.select_option("#test-preset", preset)
    swapped(page, lambda: page.click(f"button:text-is('{button}')"))
    return {
        "verdict": page.inner_text(".verdict"),
        "forward": page.locator(".path-fwd .hop-kind").all_inner_texts(),
        "forward_actions": page.locator(".path-fwd .hop .badge").all_inner_texts(),
        "return": page.locator(".path-ret .hop-kind").all_inner_texts(),
        "codes": page.locator(".explanation .code").all_inner_texts(),
        "explanations": page.locator(".explanation").all_inner_texts(),
    }


def screenshot(page: Any, name: str, *, full_page: bool = True) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def screenshots_at_common_sizes(page: Any, name: str) -> None:
    """What a learner sees on a laptop (1366×768) and a desktop (1920×1080) screen."""
    size = page.viewport_size
    for width, height in ((1366, 768), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(100)
        screenshot(page, f"{name}-{width}x{height}", full_page=False)
        screenshot(page, f"{name}-{width}x{height}-full")
    page.set_viewport_size(size)
