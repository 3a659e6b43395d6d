"""Seed 002 in the browser, from an empty topology, as a learner builds it; then broken twice."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .ui import (
    choose,
    click_in_diagram,
    open_create,
    run_test_connection,
    screenshot,
    screenshots_at_common_sizes,
    settle,
    submit,
)

pytestmark = pytest.mark.browser

SSH_FORWARD = ["Internet gateway", "Network ACL", "Security group", "Network interface", "Instance"]
# What the learner reads and clicks, in each language (the Japanese console's words).
WORDS = {
    "en": {
        "Create topology": "Create topology",
        "Subnet": "Subnet",
        "Create subnet": "Create subnet",
        "Internet gateway": "Internet gateway",
        "Create internet gateway": "Create internet gateway",
        "Attach to VPC": "Attach to VPC",
        "attached": "attached to",
        "(main)": "(main)",
        "Add route": "Add route",
        "Security group": "Security group",
        "Create security group": "Create security group",
        "Add a security group rule": "Add a security group rule",
        "Instance": "Instance",
        "Launch an instance": "Launch an instance",
        "Allocate Elastic IP": "Allocate Elastic IP",
        "Associate Elastic IP": "Associate Elastic IP",
        "The internet": "The internet",
        "Test connection": "Test connection",
    },
    "ja": {
        "Create topology": "トポロジーを作成",
        "Subnet": "サブネット",
        "Create subnet": "サブネットを作成",
        "Internet gateway": "インターネットゲートウェイ",
        "Create internet gateway": "インターネットゲートウェイを作成",
        "Attach to VPC": "VPC にアタッチ",
        "attached": "アタッチ済み",
        "(main)": "（メイン）",
        "Add route": "ルートを追加",
        "Security group": "セキュリティグループ",
        "Create security group": "セキュリティグループを作成",
        "Add a security group rule": "セキュリティグループのルールを追加",
        "Instance": "インスタンス",
        "Launch an instance": "インスタンスを起動",
        "Allocate Elastic IP": "Elastic IP の割り当て",
        "Associate Elastic IP": "Elastic IP の関連付け",
        "The internet": "インターネット",
        "Test connection": "接続テスト",
    },
}


def build_seed_002(page: Any, language: str = "en") -> None:
    w = WORDS[language]
    page.goto(page.base + "/")
    page.fill("#new-name", "Seed 002 — SSH from home")
    page.click(f"button:text-is('{w['Create topology']}')")
    page.wait_for_url(re.compile(r"/topologies/\w+$"))

    open_create(page, "VPC")
    page.fill("#create-vpc-Name", "myvpc")
    page.fill("#create-vpc-CidrBlock", "192.168.0.0/16")
    submit(page, "VPC を作成" if language == "ja" else "Create VPC")

    for number, zone in ((1, "ap-northeast-1b"), (2, "ap-northeast-1c")):
        open_create(page, w["Subnet"])
        page.fill("#create-subnet-Name", f"mysubnet-000{number}")
        page.select_option("#create-subnet-AvailabilityZone", zone)
        page.fill("#create-subnet-CidrBlock", f"192.168.{number}.0/24")
        submit(page, w["Create subnet"])
        assert "251" in page.inner_text(".props")  # 256 minus the 5 AWS reserves

    open_create(page, w["Internet gateway"])
    page.fill("#create-igw-Name", "mygateway")
    submit(page, w["Create internet gateway"])
    submit(page, w["Attach to VPC"])
    assert w["attached"] in page.inner_text(".props").lower()

    click_in_diagram(page, "a.chip-route-table", w["(main)"])
    page.fill("#create-route-DestinationCidrBlock", "0.0.0.0/0")
    choose(page, "#create-route-Target", "mygateway")
    submit(page, w["Add route"])

    open_create(page, w["Security group"])
    page.fill("#create-sg-GroupName", "ssh")
    page.fill("#create-sg-Description", "SSH from anywhere")
    submit(page, w["Create security group"])
    page.select_option("#authorize-sg-Type", "ssh")
    submit(page, w["Add a security group rule"])
    assert "SSH TCP 22 0.0.0.0/0" in page.inner_text(".inspector")

    for number in (1, 2):
        open_create(page, w["Instance"])
        page.fill("#launch-instance-Name", f"myinstance-000{number}")
        choose(page, "#launch-instance-SubnetId", f"mysubnet-000{number}")
        choose(page, "#launch-instance-SecurityGroupIds", "ssh (")
        page.fill("#launch-instance-KeyName", "mykeypair")
        page.fill("#launch-instance-PrivateIpAddress", f"192.168.{number}.4")
        submit(page, w["Launch an instance"])

        open_create(page, "Elastic IP")
        submit(page, w["Allocate Elastic IP"])
        choose(page, "#associate-eip-Target", f"myinstance-000{number}")
        submit(page, w["Associate Elastic IP"])
        assert f"192.168.{number}.4" in page.inner_text(".props")


def test_ssh_from_home_then_a_missing_route_then_a_nacl_without_ephemeral_ports(
    browser_page: Any,
) -> None:
    page = browser_page
    build_seed_002(page)

    ssh = run_test_connection(
        page,
        source="The internet",
        source_ip="203.0.113.5",
        destination="myinstance-0001",
        preset="ssh",
    )
    assert ssh["verdict"].startswith("✔ Reachable")
    assert ssh["forward"] == SSH_FORWARD
    assert ssh["forward_actions"][0] == "TRANSLATED"
    assert ssh["return"][-2:] == ["Internet gateway", "Internet"]
    assert "100 ALL ALL 0.0.0.0/0 ALLOW" in page.inner_text(".path-fwd")
    assert page.locator("svg.diagram .on-forward").count() >= 3  # the path, drawn
    screenshot(page, "seed002-workspace-reachable")
    screenshots_at_common_sizes(page, "seed002-en-reachable")

    # Break it: remove the route to the internet gateway. The request still arrives, but the
    # reply has no way out (seed 002's warning).
    click_in_diagram(page, "a.chip-route-table", "(main)")
    page.once("dialog", lambda dialog: dialog.accept())  # "Remove route 0.0.0.0/0 rtb-…?"
    submit(page, "Remove route 0.0.0.0/0")
    broken = run_test_connection(
        page,
        source="The internet",
        source_ip="203.0.113.5",
        destination="myinstance-0001",
        preset="ssh",
    )
    assert broken["verdict"].startswith("✘ Not reachable")
    assert broken["codes"] == ["NO_ROUTE_TO_DESTINATION"]
    assert "Add the route 0.0.0.0/0 → igw-" in broken["explanations"][0]
    assert page.locator(".path-ret .hop-blocked").count() == 1
    screenshot(page, "seed002-route-removed")
    screenshots_at_common_sizes(page, "seed002-en-route-removed")

    # Put the route back, then a custom NACL that allows SSH both ways but no ephemeral ports.
    click_in_diagram(page, "a.chip-route-table", "(main)")
    page.fill("#create-route-DestinationCidrBlock", "0.0.0.0/0")
    choose(page, "#create-route-Target", "mygateway")
    submit(page, "Add route")
    open_create(page, "Network ACL")
    page.fill("#create-nacl-Name", "ssh-only")
    submit(page, "Create network ACL")
    for direction in ("ingress", "egress"):
        page.fill("#create-nacl-entry-RuleNumber", "100")
        page.select_option("#create-nacl-entry-Direction", direction)
        page.select_option("#create-nacl-entry-Type", "ssh")
        page.fill("#create-nacl-entry-CidrBlock", "0.0.0.0/0")
        submit(page, "Add a network ACL rule")
    choose(page, "#associate-nacl-SubnetId", "mysubnet-0001")
    submit(page, "Associate a subnet")
    nacl = run_test_connection(
        page,
        source="The internet",
        source_ip="203.0.113.5",
        destination="myinstance-0001",
        preset="ssh",
    )
    assert nacl["codes"] == ["SUBNET_ACL_RESTRICTION"]
    assert "1024-65535" in nacl["explanations"][0]
    assert "return path, egress" in nacl["explanations"][0]
    screenshot(page, "seed002-nacl-without-ephemeral-ports")


def test_ping_is_blocked_and_the_instance_does_not_see_its_eip(browser_page: Any) -> None:
    page = browser_page
    build_seed_002(page)
    ping = run_test_connection(
        page, source="The internet", destination="myinstance-0002", preset="ping"
    )
    assert ping["codes"] == ["ENI_SG_RULES_MISMATCH"]
    assert "icmp echo-request" in ping["explanations"][0]

    click_in_diagram(page, "a.node-instance", "myinstance-0001")
    page.click("text=What the instance sees")
    settle(page)
    text = page.inner_text("main")
    assert "inet 192.168.1.4/24 brd 192.168.1.255 scope global eth0" in text
    assert "default via 192.168.1.1 dev eth0" in text
    public = page.inner_text("dt:has-text('Public IP') + dd").strip()
    assert public not in page.inner_text("pre")
    screenshot(page, "seed002-instance-view")


def test_the_walkthrough_in_japanese(browser_page: Any) -> None:
    """A Japanese learner chooses 日本語 with the switch (a plain link) and builds seed 002 with
    the console's words; the trace's headings, badges and fixes' label read in Japanese (the
    hop texts themselves are the engine's part of issue 11)."""
    page = browser_page
    page.goto(page.base + "/")
    assert page.get_attribute("html", "lang") == "en"
    page.click(".language-switch a:text-is('日本語')")
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "lang") == "ja"
    assert page.inner_text("h2#list-title") == "トポロジー一覧"
    screenshots_at_common_sizes(page, "seed002-ja-topologies")

    build_seed_002(page, "ja")
    assert page.get_attribute("html", "lang") == "ja"
    ssh = run_test_connection(
        page,
        source="インターネット",
        source_ip="203.0.113.5",
        destination="myinstance-0001",
        preset="ssh",
        button="接続テスト",
    )
    assert ssh["verdict"].startswith("✔ 到達可能: ")
    assert ssh["forward"] == [
        "インターネットゲートウェイ",
        "ネットワーク ACL",
        "セキュリティグループ",
        "ネットワークインターフェイス",
        "インスタンス",
    ]
    assert ssh["forward_actions"][0] == "アドレス変換"
    assert ssh["forward_actions"][1:] == ["許可", "許可", "転送", "到達"]
    assert ssh["return"][-2:] == ["インターネットゲートウェイ", "インターネット"]
    assert page.inner_text(".path-fwd h3") == "往路: リクエスト"
    assert page.inner_text(".path-ret h3") == "復路: 応答"
    assert "100 ALL ALL 0.0.0.0/0 ALLOW" in page.inner_text(".path-fwd")  # rule labels as typed
    legend = page.inner_text(".legend")
    assert "パブリックサブネット" in legend and "リクエストの経路" in legend
    assert "Test connection" not in page.inner_text("main")
    screenshots_at_common_sizes(page, "seed002-ja-reachable")
    click_in_diagram(page, "a.chip-security-group", "ssh")
    assert page.inner_text(".inspector h3 >> nth=0") == "インバウンドルール"
    assert "ステートフル" in page.inner_text(".inspector")
    open_create(page, "インスタンス")
    assert page.inner_text(".inspector legend") == "ネットワーク設定"
    screenshots_at_common_sizes(page, "seed002-ja-launch-instance")
    workspace = page.url.split("?")[0]
    page.click("text=インターネットに公開されているものは?")
    page.wait_for_selector("text=計算時間")
    assert "公開されているインターフェイス 2 個" in page.inner_text("#report")
    screenshots_at_common_sizes(page, "seed002-ja-exposure")
    page.goto(workspace + "/matrix")
    page.wait_for_selector("text=組が到達可能")
    assert page.inner_text("h1") == "どこからどこへ到達できるか"
    screenshots_at_common_sizes(page, "seed002-ja-matrix")
    page.goto(workspace)

    click_in_diagram(page, "a.chip-route-table", "（メイン）")
    assert page.inner_text(".inspector h2 .kind") == "ルートテーブル"
    page.once("dialog", lambda dialog: dialog.accept())  # removing a route asks first
    submit(page, "ルート 0.0.0.0/0 を削除")
    broken = run_test_connection(
        page,
        source="インターネット",
        source_ip="203.0.113.5",
        destination="myinstance-0001",
        preset="ssh",
        button="接続テスト",
    )
    assert broken["verdict"] == "✘ 到達不可: 経路上に 1 件の問題があります。"
    assert broken["codes"] == ["NO_ROUTE_TO_DESTINATION"]  # codes never translate
    assert "修正案:" in broken["explanations"][0]
    assert "復路 · ルートテーブル" in broken["explanations"][0]  # the leg and the component
    assert page.locator(".path-ret .hop-blocked .badge").first.inner_text() == "拒否"
    screenshots_at_common_sizes(page, "seed002-ja-route-removed")

    click_in_diagram(page, "a.node-instance", "myinstance-0001")
    page.click("text=インスタンスから見たネットワーク")
    settle(page)
    assert page.inner_text("h1") == "myinstance-0001 から見たネットワーク"
    screenshots_at_common_sizes(page, "seed002-ja-instance-view")
