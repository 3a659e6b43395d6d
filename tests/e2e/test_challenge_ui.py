"""A troubleshooting challenge in the browser: a student starts challenge-nat (3 faults), takes
a hint, and repairs every fault through the workspace's editors until the panel says 3 of 3
found and every check passes.

The faults depend on the seed (lab id and user id). In local mode the user is always 1, so
challenge-nat always injects the same three kinds (docs/labs.md): ``sg-wrong-port`` (the web
group's SSH rule moved to port 23), ``route-removed`` (the private subnet's 0.0.0.0/0 → NAT
gateway) and ``instance-stopped`` (the web server). The repairs are still chosen per fault code
(``REPAIRS``), from what the test reads of the stored challenge, as a learner would read the
hints."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from app.db.store import Store
from app.engine import Topology
from app.engine.faults import Fault
from app.labs import challenge

from .ui import choose, click_in_diagram, screenshot, submit, swapped

pytestmark = pytest.mark.browser


def name_of(model: Topology, resource_id: str) -> str:
    kind = challenge.kind_of(resource_id)
    resource = model.get(kind, resource_id)
    return dict(resource.tags).get("Name", resource_id)


def add_route_back(page: Any, fault: Fault, original: Topology) -> None:
    table = original.route_tables[fault.params["route_table"]]
    route = next(r for r in table.routes if str(r.destination) == fault.params["destination"])
    click_in_diagram(page, "a.chip-route-table", name_of(original, table.route_table_id))
    page.fill("#create-route-DestinationCidrBlock", str(route.destination))
    choose(page, "#create-route-Target", route.target_id)
    submit(page, "Add route")


def start_instance(page: Any, fault: Fault, original: Topology) -> None:
    click_in_diagram(page, "a.node-instance", name_of(original, fault.component))
    submit(page, "Start")


def put_the_port_back(page: Any, fault: Fault, original: Topology) -> None:
    """Add the rule on the right port, then remove the one on the wrong port."""
    click_in_diagram(page, "a.chip-security-group", name_of(original, fault.component))
    page.select_option("#authorize-sg-Type", "custom-tcp")
    page.fill("#authorize-sg-PortRange", str(fault.params["port"]))
    page.select_option("#authorize-sg-Peer", "0.0.0.0/0")
    submit(page, "Add a security group rule")
    wrong = page.locator(f"button[aria-label*='{fault.params['wrong_port']}']")
    assert wrong.count() == 1, page.inner_text(".inspector")
    page.once("dialog", lambda dialog: dialog.accept())  # "Remove rule …?"
    swapped(page, wrong.click)


def name_of_kind(fault: Fault) -> str:
    return {"security-group": "Security group", "route-table": "Route table"}.get(
        challenge.kind_of(fault.component), "Instance"
    )


REPAIRS: dict[str, Callable[[Any, Fault, Topology], None]] = {
    "route-removed": add_route_back,
    "instance-stopped": start_instance,
    "sg-wrong-port": put_the_port_back,
}


def lab_panel(page: Any) -> str:
    return re.sub(r"\s+", " ", page.inner_text("#lab-panel"))


def shots(page: Any, name: str) -> None:
    """The workspace as a learner sees it on a laptop screen, and the lab panel whole."""
    page.set_viewport_size({"width": 1366, "height": 768})
    page.wait_for_timeout(100)
    screenshot(page, f"{name}-1366x768", full_page=False)
    page.locator("#lab-panel").screenshot(path=str(_artifact(f"{name}-panel")))


def _artifact(name: str) -> Any:
    from .conftest import ARTIFACTS

    return ARTIFACTS / f"{name}.png"


def switch_language(page: Any, lang: str) -> None:
    page.click(f".language-switch a[lang={lang}]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == lang


def test_a_student_repairs_three_injected_faults_through_the_ui(
    browser_page: Any, store: Store
) -> None:
    page = browser_page
    page.goto(page.base + "/labs")
    page.click("button[aria-label*='Fix the broken web server']")
    page.wait_for_url(re.compile(r"/topologies/\w+$"))
    topology = page.url.rsplit("/", 1)[-1]

    shown = lab_panel(page)
    assert "Troubleshooting challenge" in shown
    assert "3 faults injected, 0 found" in shown
    assert page.locator("#lab-panel .lab-check.bad").count() >= 1
    shots(page, "challenge-nat-start-en")
    switch_language(page, "ja")
    assert "注入された障害 3 件のうち 0 件を発見" in lab_panel(page)
    shots(page, "challenge-nat-start-ja")
    switch_language(page, "en")

    view = store.lab_progress(topology)[1].challenge
    assert view is not None
    faults = [f.fault for f in view.faults]
    assert sorted(f.code for f in faults) == sorted(REPAIRS)
    with store._read() as session:
        state = store._row(session, topology).challenge
    assert state is not None
    original = challenge.original_of(state)

    swapped(page, lambda: page.click("button:text-is('Hint (−10 points)')"))
    shown = lab_panel(page)
    assert f"Look at {name_of_kind(faults[0])} {faults[0].component}." in shown
    assert "1 hint used" in shown and str(faults[0].said) not in shown
    shots(page, "challenge-nat-hint-en")

    for fault in faults:
        REPAIRS[fault.code](page, fault, original)
    shown = lab_panel(page)
    assert "3 faults injected, 3 found" in shown, shown
    assert page.locator("#lab-panel .lab-check.bad").count() == 0
    assert page.locator("#lab-panel .lab-check.ok").count() == 5
    assert "Score: 90 / 100" in shown  # every check passes, one hint taken
    for fault in faults:
        assert str(fault.said) in shown  # each found fault is said: what it was
    shots(page, "challenge-nat-solved-en")
    switch_language(page, "ja")
    shown = lab_panel(page)
    assert "注入された障害 3 件のうち 3 件を発見" in shown and "得点: 90 / 100" in shown
    shots(page, "challenge-nat-solved-ja")
