"""Lab 003 ("How an EC2 instance gets its IP addresses") as a Japanese learner follows it in the
browser, through what the pages show only: each step's instructions name the workspace's
controls in 「」, the learner presses exactly those, the lab panel turns each check from ✘ to ✔,
"next step" until 100%. On the way, what the steps promise is on the page: 10.0.0.4 from the
subnet's DHCP server, the private DNS name, the secondary address 10.0.0.5, the default DHCP
option set, then "search corp.internal". Screenshots at a laptop's 1366×768 under
test-artifacts/."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .lab_panel import at_step as lab_at_step
from .lab_panel import laptop, next_step, panel, says
from .ui import choose, open_create, submit, swapped

pytestmark = pytest.mark.browser

LAB = "seed-003-how-addresses"


def at_step(page: Any, number: int, *, passing: bool) -> str:
    return lab_at_step(page, number, of=5, passing=passing)


def instance_view(page: Any) -> str:
    """Open "What the instance sees" from the selected instance, read it, come back."""
    page.click(".inspector a:text-is('インスタンスから見たネットワーク（ip addr、ip route）')")
    page.wait_for_load_state("networkidle")
    text: str = page.inner_text("main")
    page.go_back()
    page.wait_for_load_state("networkidle")
    return text


def click_instance(page: Any) -> None:
    swapped(page, page.locator("svg.diagram a.node-instance").first.click)


def test_a_student_follows_lab_003_in_japanese_to_100_percent(browser_page: Any) -> None:
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(page.base + "/")
    page.click(".language-switch a:text-is('日本語')")
    page.wait_for_load_state("networkidle")
    page.click(".topbar a:text-is('ガイド付きラボ')")
    page.wait_for_url(re.compile(r"/labs$"))
    card = page.locator(f"section.lab-card[aria-labelledby='lab-{LAB}']")
    assert "EC2 インスタンスと IP アドレス" in card.inner_text()
    assert "5 ステップ" in card.inner_text()
    card.locator("button").click()
    page.wait_for_url(re.compile(r"/topologies/\w+$"))

    # 1. VPC
    text = at_step(page, 1, passing=False)
    assert "0% 完了" in text and "1 件中 0 件あり" in text
    says(page, "作成:", "VPC", "IPv4 CIDR ブロック", "名前タグ", "VPC を作成")
    laptop(page, "guided-lab-003-ja-step1")
    open_create(page, "VPC")
    page.fill("#create-vpc-Name", "myvpc01")
    page.fill("#create-vpc-CidrBlock", "10.0.0.0/16")
    submit(page, "VPC を作成")
    at_step(page, 1, passing=True)
    next_step(page)

    # 2. subnet: the hint's 251 is the number the subnet's details show
    at_step(page, 2, passing=False)
    says(page, "サブネット", "アベイラビリティーゾーン", "パブリック IPv4 アドレスを自動割り当て")
    says(page, "サブネットを作成")
    open_create(page, "サブネット")
    page.fill("#create-subnet-Name", "mysubnet01")
    page.select_option("#create-subnet-AvailabilityZone", "ap-northeast-1a")
    page.fill("#create-subnet-CidrBlock", "10.0.0.0/24")
    assert not page.is_checked("#create-subnet-MapPublicIpOnLaunch")
    submit(page, "サブネットを作成")
    at_step(page, 2, passing=True)
    page.locator("#lab-panel summary", has_text="ヒント 1").click()
    assert "「利用可能な IPv4 アドレス」" in panel(page)
    details = page.inner_text(".inspector")
    assert re.search(r"利用可能な IPv4 アドレス\s+251", details), details
    next_step(page)

    # 3. the instance: 10.0.0.4 from the DHCP server, its ENI, its private DNS name
    at_step(page, 3, passing=False)
    says(page, "インスタンス", "パブリック IP の自動割り当て", "無効化")
    says(page, "プライマリプライベート IP")
    says(page, "インスタンスを起動", "インスタンスから見たネットワーク（ip addr、ip route）")
    # the three items are a list, not one run-on line
    items = page.locator("#lab-panel .lab-text ul > li").all_inner_texts()
    assert len(items) == 3, items
    laptop(page, "guided-lab-003-ja-step3")
    open_create(page, "インスタンス")
    page.fill("#launch-instance-Name", "myinstance01")
    choose(page, "#launch-instance-ImageId", "Amazon Linux")
    page.select_option("#launch-instance-InstanceType", "t3.micro")
    choose(page, "#launch-instance-SubnetId", "mysubnet01")
    page.select_option("#launch-instance-AutoAssignPublicIp", label="無効化")
    submit(page, "インスタンスを起動")
    at_step(page, 3, passing=True)
    eth0 = page.inner_text(".inspector")
    assert re.search(r"eth0\s+eni-\w+\s+10\.0\.0\.4\b", eth0), eth0
    seen = instance_view(page)
    assert "ip-10-0-0-4.ap-northeast-1.compute.internal" in seen
    assert "search ap-northeast-1.compute.internal" in seen and "nameserver 10.0.0.2" in seen
    at_step(page, 3, passing=True)
    next_step(page)

    # 4. a secondary private IP, address left empty: the subnet picks 10.0.0.5
    at_step(page, 4, passing=False)
    says(page, "セカンダリプライベート IP", "セカンダリ IP を追加")
    click_instance(page)
    page.locator(".inspector a", has_text="eni-").first.click()
    page.wait_for_load_state("networkidle")
    assert page.input_value("#assign-ip-PrivateIpAddress") == ""
    submit(page, "セカンダリ IP の追加", "セカンダリ IP を追加")
    at_step(page, 4, passing=True)
    assert "10.0.0.4（プライマリ）, 10.0.0.5" in page.inner_text(".inspector")
    next_step(page)

    # 5. the DHCP option set: the default one first, then one of our own
    at_step(page, 5, passing=False)
    says(page, "dopt-… (DHCP)", "DHCP オプションセット", "ドメイン名", "ドメインネームサーバー")
    says(page, "DHCP オプションセットを作成", "関連付け")
    swapped(page, page.locator("svg.diagram a.chip-dhcp-options").first.click)
    default = page.inner_text(".inspector")
    assert "ap-northeast-1.compute.internal" in default and "AmazonProvidedDNS" in default
    laptop(page, "guided-lab-003-ja-step5")
    open_create(page, "DHCP オプションセット")
    page.fill("#create-dhcp-Name", "corp")
    page.fill("#create-dhcp-DomainName", "corp.internal")
    page.fill("#create-dhcp-DomainNameServers", "AmazonProvidedDNS")
    submit(page, "DHCP オプションセットを作成")
    at_step(page, 5, passing=False)  # created, not yet used by the VPC
    swapped(page, page.locator("svg.diagram a.node-vpc text").first.click)
    choose(page, "#associate-dhcp-DhcpOptionsId", "corp.internal")
    submit(page, "DHCP オプションセットを編集", "関連付け")
    at_step(page, 5, passing=True)
    click_instance(page)
    seen = instance_view(page)
    assert "search corp.internal" in seen and "nameserver 10.0.0.2" in seen
    next_step(page, "ラボを完了する")

    text = panel(page)
    assert "100% 完了" in text and "ラボ完了" in text and "全 5 ステップ完了" in text
    assert page.get_attribute("#lab-progress", "value") == "100"
    laptop(page, "guided-lab-003-ja-complete")
