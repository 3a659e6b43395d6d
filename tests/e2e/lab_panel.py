"""Reading the guided labs' panel in the browser tests: its text, its ✔/✘ marks, the step it
shows, and the "next step" button (the Japanese workspace's words)."""

from __future__ import annotations

from typing import Any

from .ui import screenshot, swapped

NEXT = "次のステップへ"


def panel(page: Any) -> str:
    return page.inner_text("#lab-panel")  # type: ignore[no-any-return]


def marks(page: Any) -> list[str]:
    return page.locator("#lab-panel .lab-check .mark").all_inner_texts()  # type: ignore[no-any-return]


def at_step(page: Any, number: int, *, of: int, passing: bool) -> str:
    """The panel shows step ``number`` of ``of`` with every check ✔ (or some ✘, and no
    "next step")."""
    text = panel(page)
    assert f"ステップ {number} / {of}" in text, text
    if passing:
        assert set(marks(page)) == {"✔"}, text
    else:
        assert "✘" in marks(page), text
        assert page.locator(f"#lab-panel button:text-is('{NEXT}')").count() == 0
    return text


def says(page: Any, *labels: str) -> None:
    """The step's instructions name each control as the Japanese workspace labels it."""
    text = page.inner_text("#lab-panel .lab-text")
    for label in labels:
        assert f"「{label}」" in text, (label, text)


def next_step(page: Any, label: str = NEXT) -> None:
    swapped(page, page.locator(f"#lab-panel button:text-is('{label}')").click)


def laptop(page: Any, name: str) -> None:
    """A screenshot of the top of the page at a laptop's 1366×768."""
    page.set_viewport_size({"width": 1366, "height": 768})
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(100)
    screenshot(page, name, full_page=False)
