"""The whole-network analyses in the browser: what the internet reaches, and who reaches whom
on several ports at once, down to the trace of a pair that is open on some ports only."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .ui import screenshot

pytestmark = pytest.mark.browser


def test_exposure_then_a_matrix_of_several_ports_down_to_a_trace(browser_page: Any) -> None:
    page = browser_page
    page.goto(page.base + "/")
    page.fill("#new-name", "Seed 001 — whole network")
    page.check("input[name=template][value=seed-001-nat]")
    page.click("button:text-is('Create topology')")
    page.wait_for_url(re.compile(r"/topologies/\w+$"))
    topology = page.url.rsplit("/", 1)[1]

    page.click("a:text-is('What is exposed to the internet?')")
    page.wait_for_selector("text=computed in")
    report = page.inner_text("main")
    assert "1 exposed interface" in report and "SSH TCP 22 0.0.0.0/0" in report
    assert page.inner_text("#report h2 a") == "web-server"
    screenshot(page, "whole-network-exposure")

    # Setup through the JSON API: the web server keeps only its "web" group (SSH, HTTP).
    api = f"{page.base}/api/v1/topologies/{topology}"
    groups = page.request.get(f"{api}/security-groups").json()["SecurityGroups"]
    web_sg = next(g["GroupId"] for g in groups if g["GroupName"] == "web")
    instances = page.request.get(f"{api}/instances").json()["Reservations"]
    web = next(
        i
        for r in instances
        for i in r["Instances"]
        if {"Key": "Name", "Value": "web-server"} in i["Tags"]
    )
    eni = web["NetworkInterfaces"][0]["NetworkInterfaceId"]
    changed = page.request.post(
        f"{api}/network-interfaces/{eni}/modify-attribute", data={"Groups": [web_sg]}
    )
    assert changed.ok, changed.text()

    page.goto(f"{page.base}/topologies/{topology}/matrix")
    page.select_option("#matrix-preset", "custom-tcp")
    page.fill("#matrix-port", "22, 80, 8080")
    page.click("button:text-is('Show matrix')")
    page.wait_for_selector("text=pairs reachable")
    summary = page.locator(".meta").all_inner_texts()
    assert "TCP 22, 80, 8080" in summary[0] and "0 of 2 pairs reachable on every port" in summary[0]
    assert summary[1] == "TCP 22: 1 of 2 · TCP 80: 1 of 2 · TCP 8080: 0 of 2"
    partial = page.locator("td.partial a")
    assert partial.count() == 1
    assert partial.get_attribute("title") == "reachable on 22, 80; not on 8080"
    screenshot(page, "whole-network-matrix-several-ports")

    partial.click()
    page.wait_for_selector(".verdict")
    assert page.inner_text(".verdict").startswith("✘ Not reachable")
    assert "ENI_SG_RULES_MISMATCH" in page.inner_text(".explanation")
    assert "8080" in page.inner_text(".explanation")
    screenshot(page, "whole-network-matrix-cell-trace")
