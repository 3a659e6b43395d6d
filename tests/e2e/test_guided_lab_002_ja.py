"""Lab 002 ("SSH from home") as a Japanese learner follows it in the browser: the list of guided
labs, the start button, then every step through the workspace's forms, the lab panel turning
each check from ✘ to ✔ as the network changes, "next step" until 100%. Screenshots at a
laptop's 1366×768, in Japanese and in English, under test-artifacts/."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .lab_panel import at_step as lab_at_step
from .lab_panel import next_step, panel
from .test_seed002_ssh_walkthrough import WORDS
from .ui import choose, click_in_diagram, open_create, screenshot, submit, swapped

pytestmark = pytest.mark.browser

LAB = "seed-002-ssh-from-home"
W = WORDS["ja"]


def at_step(page: Any, number: int, *, passing: bool) -> str:
    return lab_at_step(page, number, of=8, passing=passing)


def laptop(page: Any, name: str) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    page.locator("#lab-panel").scroll_into_view_if_needed()
    page.wait_for_timeout(100)
    screenshot(page, name, full_page=False)
    screenshot(page, f"{name}-full")


def in_english(page: Any, name: str) -> None:
    """The same view in English (the language switch is a plain link back to this page)."""
    page.click(".language-switch a:text-is('English')")
    page.wait_for_load_state("networkidle")
    assert "Step" in panel(page) or "complete" in panel(page)
    laptop(page, name)
    page.click(".language-switch a:text-is('日本語')")
    page.wait_for_load_state("networkidle")


def test_a_student_follows_lab_002_in_japanese_to_100_percent(browser_page: Any) -> None:
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(page.base + "/")
    page.click(".language-switch a:text-is('日本語')")
    page.wait_for_load_state("networkidle")
    page.click(".topbar a:text-is('ガイド付きラボ')")
    page.wait_for_url(re.compile(r"/labs$"))
    assert page.inner_text("h1") == "ガイド付きラボ"
    card = page.locator(f"section.lab-card[aria-labelledby='lab-{LAB}']")
    assert "自宅から自分の VPC 内の EC2 インスタンスへ SSH 接続する" in card.inner_text()
    screenshot(page, "guided-lab-002-ja-list", full_page=False)
    card.locator("button").click()
    page.wait_for_url(re.compile(r"/topologies/\w+$"))

    # 1. VPC
    text = at_step(page, 1, passing=False)
    assert "0% 完了" in text and "/16 の自分の VPC がある" in text and "1 件中 0 件あり" in text
    page.locator("#lab-panel summary", has_text="ヒント 1").click()
    assert page.locator("#lab-panel details[open]").count() == 1
    laptop(page, "guided-lab-002-ja-step1")
    in_english(page, "guided-lab-002-en-step1")
    open_create(page, "VPC")
    page.fill("#create-vpc-Name", "myvpc")
    page.fill("#create-vpc-CidrBlock", "192.168.0.0/16")
    submit(page, "VPC を作成")
    at_step(page, 1, passing=True)
    next_step(page)

    # 2. internet gateway
    at_step(page, 2, passing=False)
    assert "12% 完了" in panel(page)
    open_create(page, W["Internet gateway"])
    page.fill("#create-igw-Name", "mygateway")
    submit(page, W["Create internet gateway"])
    at_step(page, 2, passing=False)  # created, not yet attached
    submit(page, W["Attach to VPC"])
    at_step(page, 2, passing=True)
    next_step(page)

    # 3. two subnets in two zones
    for number, zone in ((1, "ap-northeast-1b"), (2, "ap-northeast-1c")):
        at_step(page, 3, passing=False)
        open_create(page, W["Subnet"])
        page.fill("#create-subnet-Name", f"mysubnet-000{number}")
        page.select_option("#create-subnet-AvailabilityZone", zone)
        page.fill("#create-subnet-CidrBlock", f"192.168.{number}.0/24")
        submit(page, W["Create subnet"])
    at_step(page, 3, passing=True)
    next_step(page)

    # 4. the route to the internet gateway
    at_step(page, 4, passing=False)
    click_in_diagram(page, "a.chip-route-table", W["(main)"])
    page.fill("#create-route-DestinationCidrBlock", "0.0.0.0/0")
    choose(page, "#create-route-Target", "mygateway")
    submit(page, W["Add route"])
    at_step(page, 4, passing=True)
    next_step(page)

    # 5. a security group that allows SSH
    at_step(page, 5, passing=False)
    open_create(page, W["Security group"])
    page.fill("#create-sg-GroupName", "ssh")
    page.fill("#create-sg-Description", "SSH from anywhere")
    submit(page, W["Create security group"])
    page.select_option("#authorize-sg-Type", "ssh")
    submit(page, W["Add a security group rule"])
    at_step(page, 5, passing=True)
    next_step(page)

    # 6. two instances, no public address: SSH from home does not reach them yet
    at_step(page, 6, passing=False)
    for number in (1, 2):
        open_create(page, W["Instance"])
        page.fill("#launch-instance-Name", f"myinstance-000{number}")
        choose(page, "#launch-instance-SubnetId", f"mysubnet-000{number}")
        choose(page, "#launch-instance-SecurityGroupIds", "ssh (")
        page.fill("#launch-instance-KeyName", "mykeypair")
        page.fill("#launch-instance-PrivateIpAddress", f"192.168.{number}.4")
        submit(page, W["Launch an instance"])
    text = at_step(page, 6, passing=True)
    assert "自宅からの SSH はまだ届かない" in text
    laptop(page, "guided-lab-002-ja-step6")
    next_step(page)

    # 7. Elastic IPs: SSH reaches, ping does not
    at_step(page, 7, passing=False)
    for number in (1, 2):
        open_create(page, "Elastic IP")
        submit(page, W["Allocate Elastic IP"])
        choose(page, "#associate-eip-Target", f"myinstance-000{number}")
        submit(page, W["Associate Elastic IP"])
    at_step(page, 7, passing=True)
    next_step(page)

    # 8. allow ping: the failed check names the security group and the fix, in Japanese
    text = at_step(page, 8, passing=False)
    assert "ブロックしている箇所:" in text and "セキュリティグループ" in text
    assert "修正案:" in text and "ENI_SG_RULES_MISMATCH" in text
    laptop(page, "guided-lab-002-ja-step8-ping-blocked")
    in_english(page, "guided-lab-002-en-step8-ping-blocked")
    click_in_diagram(page, "a.chip-security-group", "ssh")
    page.select_option("#authorize-sg-Type", "icmp")
    submit(page, W["Add a security group rule"])
    at_step(page, 8, passing=True)
    next_step(page, "ラボを完了する")

    text = panel(page)
    assert "100% 完了" in text and "ラボ完了" in text and "全 8 ステップ完了" in text
    assert page.get_attribute("#lab-progress", "value") == "100"
    laptop(page, "guided-lab-002-ja-complete")
    in_english(page, "guided-lab-002-en-complete")

    # An earlier step can be read again; its checks are evaluated again, still ✔.
    page.select_option("#lab-step", "4")
    swapped(page, page.locator("#lab-panel button:text-is('戻る')").click)
    at_step(page, 5, passing=True)
