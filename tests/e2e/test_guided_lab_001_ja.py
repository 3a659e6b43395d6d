"""Lab 001 (public and private subnets, a bastion, a NAT gateway, a network ACL) as a Japanese
learner follows it in the browser through what the pages show: each step's instructions name,
in 「」, the workspace controls the learner then uses; the lab panel turns each check from ✘ to
✔, through the network ACL that drops the replies, to 100%. Screenshots at a laptop's 1366×768
under test-artifacts/."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .lab_panel import at_step as lab_at_step
from .lab_panel import laptop, next_step, panel, says
from .ui import choose, click_in_diagram, open_create, submit, swapped

pytestmark = pytest.mark.browser

LAB = "seed-001-public-private-nat"


def at_step(page: Any, number: int, *, passing: bool) -> str:
    return lab_at_step(page, number, of=10, passing=passing)


def add_sg_rule(page: Any, kind: str, source: str) -> None:
    page.select_option("#authorize-sg-Type", kind)
    choose(page, "#authorize-sg-Peer", source)
    swapped(page, page.locator(".inspector button:text-is('ルールを追加')").first.click)
    assert not page.locator("[role=alert]").all_inner_texts()


def add_nacl_rule(page: Any, number: int, direction: str, kind: str, cidr: str) -> None:
    page.fill("#create-nacl-entry-RuleNumber", str(number))
    page.select_option("#create-nacl-entry-Direction", label=direction)
    page.select_option("#create-nacl-entry-Type", label=kind)
    page.fill("#create-nacl-entry-CidrBlock", cidr)
    page.select_option("#create-nacl-entry-RuleAction", label="許可")
    submit(page, "ネットワーク ACL のルールを追加")


def route_table(page: Any, target: str, subnet: str) -> None:
    open_create(page, "ルートテーブル")
    submit(page, "ルートテーブルを作成")
    page.fill("#create-route-DestinationCidrBlock", "0.0.0.0/0")
    choose(page, "#create-route-Target", target)
    submit(page, "ルートを追加")
    choose(page, "#associate-route-table-SubnetId", subnet)
    submit(page, "サブネットの関連付け")


def test_a_student_follows_lab_001_in_japanese_to_100_percent(browser_page: Any) -> None:
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(page.base + "/")
    page.click(".language-switch a:text-is('日本語')")
    page.wait_for_load_state("networkidle")
    page.click(".topbar a:text-is('ガイド付きラボ')")
    page.wait_for_url(re.compile(r"/labs$"))
    card = page.locator(f"section.lab-card[aria-labelledby='lab-{LAB}']")
    assert "10 ステップ" in card.inner_text()
    card.locator("button").click()
    page.wait_for_url(re.compile(r"/topologies/\w+$"))

    # 1. VPC
    at_step(page, 1, passing=False)
    says(page, "作成:", "VPC", "IPv4 CIDR ブロック", "VPC を作成")
    open_create(page, "VPC")
    page.fill("#create-vpc-CidrBlock", "172.30.0.0/16")
    submit(page, "VPC を作成")
    at_step(page, 1, passing=True)
    next_step(page)

    # 2. two subnets, the public one assigns public addresses
    at_step(page, 2, passing=False)
    says(page, "サブネット", "パブリック IPv4 アドレスを自動割り当て")
    for name, cidr in (("public", "172.30.0.0/24"), ("private", "172.30.1.0/24")):
        open_create(page, "サブネット")
        page.fill("#create-subnet-Name", name)
        page.select_option("#create-subnet-AvailabilityZone", "ap-northeast-1a")
        page.fill("#create-subnet-CidrBlock", cidr)
        if name == "public":
            page.check("#create-subnet-MapPublicIpOnLaunch")
        submit(page, "サブネットを作成")
    at_step(page, 2, passing=True)
    next_step(page)

    # 3. internet gateway
    at_step(page, 3, passing=False)
    says(page, "インターネットゲートウェイ", "インターネットゲートウェイを作成", "VPC にアタッチ")
    open_create(page, "インターネットゲートウェイ")
    submit(page, "インターネットゲートウェイを作成")
    at_step(page, 3, passing=False)  # created, not yet attached
    submit(page, "VPC にアタッチ")
    at_step(page, 3, passing=True)
    next_step(page)

    # 4. a route table of its own for the public subnet
    at_step(page, 4, passing=False)
    says(page, "ルートテーブル", "ルート", "送信先", "ターゲット", "ルートを追加")
    says(page, "サブネットの関連付け", "関連付け")
    route_table(page, "インターネットゲートウェイ · igw-", "public")
    at_step(page, 4, passing=True)
    next_step(page)

    # 5. webserverSG first (the launch form picks it), then the web server
    at_step(page, 5, passing=False)
    says(page, "セキュリティグループ", "ルールの追加", "SSH（TCP 22）", "マイ IP（203.0.113.5/32）")
    says(page, "インスタンス", "パブリック IP の自動割り当て", "サブネットの設定を使用")
    laptop(page, "guided-lab-001-ja-step5")
    open_create(page, "セキュリティグループ")
    page.fill("#create-sg-GroupName", "webserverSG")
    page.fill("#create-sg-Description", "web server")
    submit(page, "セキュリティグループを作成")
    add_sg_rule(page, "ssh", "マイ IP")
    open_create(page, "インスタンス")
    page.fill("#launch-instance-Name", "web")
    page.fill("#launch-instance-KeyName", "mykey")
    choose(page, "#launch-instance-SubnetId", "public (")
    page.select_option("#launch-instance-AutoAssignPublicIp", label="サブネットの設定を使用")
    choose(page, "#launch-instance-SecurityGroupIds", "webserverSG")
    submit(page, "インスタンスを起動")
    at_step(page, 5, passing=True)
    next_step(page)

    # 6. dbserverSG admits SSH from webserverSG; the database server has no public address
    at_step(page, 6, passing=False)
    says(page, "SSH（TCP 22）", "webserverSG (sg-…)", "無効化")
    open_create(page, "セキュリティグループ")
    page.fill("#create-sg-GroupName", "dbserverSG")
    page.fill("#create-sg-Description", "db server")
    submit(page, "セキュリティグループを作成")
    add_sg_rule(page, "ssh", "webserverSG")
    open_create(page, "インスタンス")
    page.fill("#launch-instance-Name", "db")
    choose(page, "#launch-instance-SubnetId", "private (")
    page.select_option("#launch-instance-AutoAssignPublicIp", label="無効化")
    choose(page, "#launch-instance-SecurityGroupIds", "dbserverSG")
    submit(page, "インスタンスを起動")
    at_step(page, 6, passing=True)
    next_step(page)

    # 7. Elastic IP, NAT gateway in the public subnet, the private subnet's route to it
    at_step(page, 7, passing=False)
    says(page, "Elastic IP", "Elastic IP アドレスを割り当てる", "NAT ゲートウェイ", "接続タイプ")
    says(page, "パブリック", "NAT ゲートウェイを作成", "NAT ゲートウェイ · …")
    # the three numbered steps are a numbered list, not one run-on line
    items = page.locator("#lab-panel .lab-text ol > li").all_inner_texts()
    assert len(items) == 3, items
    open_create(page, "Elastic IP")
    submit(page, "Elastic IP の割り当て")
    open_create(page, "NAT ゲートウェイ")
    choose(page, "#create-nat-SubnetId", "public (")
    page.select_option("#create-nat-ConnectivityType", label="パブリック")
    choose(page, "#create-nat-AllocationId", "eipalloc-")
    submit(page, "NAT ゲートウェイを作成")
    at_step(page, 7, passing=False)
    route_table(page, "NAT ゲートウェイ · nat-", "private")
    at_step(page, 7, passing=True)
    next_step(page)

    # 8. MariaDB: the commands are code, one a line; the rule MySQL/Aurora from webserverSG
    at_step(page, 8, passing=False)
    says(page, "MySQL/Aurora（TCP 3306）")
    commands = page.locator("#lab-panel .lab-text p > code").all_inner_texts()
    assert commands[:4] == [
        "sudo yum install -y mariadb-server",
        "sudo systemctl start mariadb",
        "sudo systemctl enable mariadb",
        "sudo mysql_secure_installation",
    ], commands
    laptop(page, "guided-lab-001-ja-step8")
    click_in_diagram(page, "a.chip-security-group", "dbserverSG")
    add_sg_rule(page, "mysql", "webserverSG")
    at_step(page, 8, passing=True)
    next_step(page)

    # 9. a network ACL written like a security group drops the replies
    at_step(page, 9, passing=False)
    says(page, "ネットワーク ACL", "ルールの追加", "HTTPS（TCP 443）", "サブネットの関連付け")
    open_create(page, "ネットワーク ACL")
    page.fill("#create-nacl-Name", "db-acl")
    submit(page, "ネットワーク ACL を作成")
    add_nacl_rule(page, 100, "インバウンド", "SSH（TCP 22）", "172.30.0.0/24")
    add_nacl_rule(page, 110, "インバウンド", "MySQL/Aurora（TCP 3306）", "172.30.0.0/24")
    add_nacl_rule(page, 100, "アウトバウンド", "HTTPS（TCP 443）", "0.0.0.0/0")
    choose(page, "#associate-nacl-SubnetId", "private (")
    submit(page, "サブネットの関連付け")
    at_step(page, 9, passing=True)
    laptop(page, "guided-lab-001-ja-step9")
    next_step(page)

    # 10. the ephemeral ports; the failed checks name the network ACL
    text = at_step(page, 10, passing=False)
    assert "SUBNET_ACL_RESTRICTION" in text and "1024-65535" in text
    ephemeral = "エフェメラルポート（TCP 1024-65535）"
    says(page, ephemeral)
    click_in_diagram(page, "a.chip-network-acl", "db-acl")
    add_nacl_rule(page, 110, "アウトバウンド", ephemeral, "172.30.0.0/24")
    at_step(page, 10, passing=False)  # the web server again, not yet the internet
    add_nacl_rule(page, 120, "インバウンド", ephemeral, "0.0.0.0/0")
    at_step(page, 10, passing=True)
    next_step(page, "ラボを完了する")

    text = panel(page)
    assert "100% 完了" in text and "全 10 ステップ完了" in text
    assert page.get_attribute("#lab-progress", "value") == "100"
    laptop(page, "guided-lab-001-ja-complete")
