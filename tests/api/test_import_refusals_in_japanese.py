"""An import refused in the reader's language (issue 11): with ``Accept-Language: ja`` the
refusal reads in Japanese and names the same resource, field, ids and addresses as the English
one, whose words stay as they were; the code never translates."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from .lab import Lab, expect_error

JA = {"Accept-Language": "ja-JP,ja;q=0.9,en;q=0.8"}
KANA = re.compile(r"[\u3040-\u30ff]")
# What a refusal names and a translation must keep: API field names (VpcId, CidrBlock), ids,
# addresses and CIDRs, and the describe-* commands.
NAMED = re.compile(r"\b[A-Z][a-z]+[A-Z]\w*|\b[a-z]+-[\w*]+|\d+\.\d+\.\d+\.\d+(?:/\d+)?")

ZONE = "ap-northeast-1a"


def _subnet(subnet_id: str, cidr: str, **more: Any) -> dict[str, Any]:
    return {
        "SubnetId": subnet_id,
        "VpcId": "vpc-1",
        "CidrBlock": cidr,
        "AvailabilityZone": ZONE,
        **more,
    }


VPC = {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}
BAD_BUNDLES: dict[str, tuple[Any, str, str, str]] = {
    # what is wrong: (bundle, code, English message, a Japanese phrase it must have)
    "a missing field": (
        {"Subnets": [{"SubnetId": "subnet-1", "CidrBlock": "10.0.1.0/24"}]},
        "MissingParameter",
        "subnet-1: the field VpcId is missing.",
        "フィールド VpcId がありません",
    ),
    "a CIDR that is not one": (
        {"Vpcs": [VPC], "Subnets": [_subnet("subnet-1", "10.0.1.0/33")]},
        "InvalidParameterValue",
        "subnet-1: '10.0.1.0/33' is not a valid IPv4 CIDR block.",
        "'10.0.1.0/33' は有効な IPv4 CIDR ブロックではありません",
    ),
    "a number where a list of CIDRs is written": (
        {"Vpcs": [{**VPC, "CidrBlockAssociationSet": [{"CidrBlock": 5}]}]},
        "InvalidParameterValue",
        "vpc-1: the CIDR block must be a string such as 10.0.0.0/16, not 5.",
        "CIDR ブロックは 10.0.0.0/16 のような文字列で指定します",
    ),
    "an id too long": (
        {"Vpcs": [{"VpcId": "vpc-" + "1" * 70, "CidrBlock": "10.0.0.0/16"}]},
        "InvalidParameterValue",
        "Vpcs[0]: VpcId must be 1 to 64 printable characters, as AWS ids are.",
        "1～64 文字",
    ),
    "overlapping subnets": (
        {
            "Vpcs": [VPC],
            "Subnets": [_subnet("subnet-a", "10.0.1.0/24"), _subnet("subnet-b", "10.0.1.128/25")],
        },
        "InvalidSubnet.Conflict",
        "subnet-b: 10.0.1.128/25 overlaps subnet-a (10.0.1.0/24).",
        "重複しています",
    ),
    "a subnet of a VPC the bundle lacks": (
        {"Subnets": [_subnet("subnet-o", "10.0.1.0/24", VpcId="vpc-gone")]},
        "InvalidVpcID.NotFound",
        "subnet-o: its VPC vpc-gone is not in the bundle.",
        "バンドルにありません",
    ),
    "a tag the API refuses (the operation's own check, inside the import's)": (
        {"Vpcs": [{**VPC, "Tags": [{"Key": "", "Value": "x"}]}]},
        "InvalidParameterValue",
        "vpc-1: ",
        "タグ",
    ),
    "two inbound rules with one number (a rule every API call applies)": (
        {
            "Vpcs": [VPC],
            "NetworkAcls": [
                {
                    "NetworkAclId": "acl-1",
                    "VpcId": "vpc-1",
                    "Entries": [
                        {
                            "RuleNumber": 100,
                            "Egress": False,
                            "RuleAction": "allow",
                            "Protocol": "-1",
                            "CidrBlock": cidr,
                        }
                        for cidr in ("0.0.0.0/0", "10.0.0.0/8")
                    ],
                }
            ],
        },
        "NetworkAclEntryAlreadyExists",
        "acl-1: it has two inbound rules numbered 100.",
        "ルール番号 100 のインバウンドルールが 2 つあります",
    ),
    "a body that is not a bundle": (
        {"vpcs": []},
        "MissingParameter",
        "This is not a describe-* bundle: it has none of the keys ",
        "describe-* のバンドルではありません",
    ),
}


@pytest.mark.parametrize("what", list(BAD_BUNDLES))
def test_an_import_refused_reads_in_japanese_naming_the_same_field(
    client: TestClient, what: str
) -> None:
    bundle, code, english_start, japanese_phrase = BAD_BUNDLES[what]
    lab = Lab(client)
    status = 409 if code.endswith("Conflict") or "AlreadyExists" in code else 400

    english = expect_error(lab.call("POST", "import", bundle), status, code)
    japanese = expect_error(lab.call("POST", "import", bundle, headers=JA), status, code)

    assert english["message"].startswith(english_start)  # the English words as they were
    assert not KANA.search(english["message"])
    assert japanese_phrase in japanese["message"], japanese["message"]
    assert japanese.get("resource_id") == english.get("resource_id")
    named = set(NAMED.findall(english["message"]))
    assert named and named <= set(NAMED.findall(japanese["message"])), (english, japanese)
    # No English sentence left: only commands (aws ec2 …, jq -s add) and the keys it was sent.
    english_words = set(re.findall(r"\b[a-z]{2,}\b", NAMED.sub(" ", japanese["message"])))
    assert english_words <= {"aws", "jq", "add", *bundle}, japanese["message"]


def test_an_import_refused_on_the_page_reads_in_japanese(client: TestClient) -> None:
    client.cookies.set("vpclab_lang", "ja")
    bundle = b'{"Subnets": [{"SubnetId": "subnet-1", "CidrBlock": "10.0.1.0/24"}]}'

    page = client.post(
        "/topologies/import",
        data={"name": "imported", "region": "ap-northeast-1"},
        files={"bundle": ("account.json", bundle, "application/json")},
    )

    assert page.status_code == 400
    assert "MissingParameter" in page.text
    assert "subnet-1: フィールド VpcId がありません。" in page.text
