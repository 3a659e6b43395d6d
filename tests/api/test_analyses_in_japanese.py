"""The API in the reader's language (issue 11): ``Accept-Language: ja`` gives Japanese messages
and fixes, the English ones stay byte for byte without it, and error codes never translate."""

import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.db import tables

from .lab import Lab, expect_error
from .test_analyses import ssh_to

JA = {"Accept-Language": "ja-JP,ja;q=0.9,en;q=0.8"}
KANA = re.compile(r"[\u3040-\u30ff]")


def _messages(result: dict) -> list[str]:
    hops = [h["message"] for path in ("forward_path", "return_path") for h in result[path]]
    explained = [e[f] for e in result["explanations"] for f in ("message", "suggested_fix")]
    return hops + explained


def _without_words(result: dict) -> dict:
    """The result with its words taken out: what must not change with the language."""
    words = {"message", "suggested_fix"}
    drop = {path: [{k: v for k, v in item.items() if k not in words} for item in result[path]]
            for path in ("forward_path", "return_path", "explanations")}  # fmt: skip
    return {**result, **drop}


def test_a_blocked_ping_explained_in_japanese_and_in_english(client: TestClient) -> None:
    lab = Lab(client, "seed-002-ssh")
    ping = {**ssh_to(lab), "protocol": "icmp"}

    english = lab.ok("POST", "analyses?store=false", ping)
    japanese = lab.ok("POST", "analyses?store=false", ping, headers=JA)

    [explanation] = japanese["explanations"]
    assert explanation["code"] == "ENI_SG_RULES_MISMATCH"
    assert "インバウンドルール" in explanation["message"]
    assert "ICMP エコー要求" in explanation["message"]
    assert "sg-" in explanation["suggested_fix"]
    assert "インバウンドルールを追加します" in explanation["suggested_fix"]
    assert all(KANA.search(m) for m in _messages(japanese)), _messages(japanese)
    # Without Accept-Language: English as before; ids and parameters are the same either way.
    [english_explanation] = english["explanations"]
    assert english_explanation["suggested_fix"].startswith("Add an inbound rule to sg-")
    assert not any(KANA.search(m) for m in _messages(english))
    assert _without_words(japanese) == _without_words(english)
    assert english_explanation["message_id"] == "explain.security_group.no_match.inbound"
    assert english_explanation["message_params"]["traffic"] == {
        "id": "traffic.echo_request",
        "params": {},
    }


def test_stored_and_rerun_analyses_read_in_the_language_asked(client: TestClient) -> None:
    lab = Lab(client, "seed-002-ssh")
    stored = lab.ok("POST", "analyses", ssh_to(lab), 201, headers=JA)
    assert stored["forward_path"][0]["message"].startswith("インターネットゲートウェイ igw-")

    english = lab.ok("GET", f"analyses/{stored['id']}")
    assert english["forward_path"][0]["message"].startswith("Internet gateway igw-")
    japanese = lab.ok("GET", f"analyses/{stored['id']}", headers=JA)
    assert japanese["forward_path"] == stored["forward_path"]
    rerun = lab.ok("POST", f"analyses/{stored['id']}/rerun", headers=JA)
    assert all(KANA.search(m) for m in _messages(rerun))


def test_an_analysis_stored_in_english_reads_in_japanese(
    client: TestClient, engine: Engine
) -> None:
    lab = Lab(client, "seed-002-ssh")
    stored = lab.ok("POST", "analyses", {**ssh_to(lab), "protocol": "icmp"}, 201)
    with Session(engine) as session:
        row = session.exec(select(tables.Analysis)).one()
        kept = row.result["explanations"][0]
    assert kept["message"] == stored["explanations"][0]["message"]  # stored in English
    assert kept["message_id"] == "explain.security_group.no_match.inbound"  # with its id

    japanese = lab.ok("GET", f"analyses/{stored['id']}", headers=JA)

    assert "インバウンドルールがありません" in japanese["explanations"][0]["message"]


def test_an_analysis_stored_before_messages_were_data_stays_english(
    client: TestClient, engine: Engine
) -> None:
    lab = Lab(client, "seed-002-ssh")
    stored = lab.ok("POST", "analyses", {**ssh_to(lab), "protocol": "icmp"}, 201)
    with Session(engine) as session:  # as an older version of the lab stored it: words only
        row = session.exec(select(tables.Analysis)).one()
        old = dict(row.result)
        old["explanations"] = [
            {k: v for k, v in e.items() if not k.endswith(("_id", "_params"))}
            for e in old["explanations"]
        ]
        row.result = old
        session.add(row)
        session.commit()

    japanese = lab.ok("GET", f"analyses/{stored['id']}", headers=JA)

    assert japanese["explanations"][0]["message"] == stored["explanations"][0]["message"]


def test_an_error_in_japanese_keeps_its_code(client: TestClient) -> None:
    lab = Lab(client, "blank")
    vpc = lab.vpc("10.0.0.0/16")
    outside = {"VpcId": vpc, "CidrBlock": "10.1.0.0/24"}

    english = lab.fails("POST", "subnets", outside, 400, "InvalidSubnet.Range")
    japanese = expect_error(
        lab.call("POST", "subnets", outside, headers=JA), 400, "InvalidSubnet.Range"
    )

    assert english["message"] == (
        "The subnet 10.1.0.0/24 is not inside the VPC's CIDR blocks (10.0.0.0/16)."
    )
    assert japanese["message"] == (
        "サブネット 10.1.0.0/24 は VPC の CIDR ブロック (10.0.0.0/16) の範囲内にありません。"
    )
    missing = expect_error(
        lab.call("GET", "subnets/subnet-0123456789abcdef0", headers=JA),
        404,
        "InvalidSubnetID.NotFound",
    )
    assert missing["message"] == "サブネット 'subnet-0123456789abcdef0' は存在しません。"


def test_the_instance_view_says_its_notes_in_the_language_asked(client: TestClient) -> None:
    lab = Lab(client, "seed-002-ssh")
    instance = lab.instances()[0]["InstanceId"]

    english = lab.ok("GET", f"instances/{instance}/view")
    japanese = lab.ok("GET", f"instances/{instance}/view", headers=JA)

    assert english["notes"][0].startswith("The public address ")  # English, as before
    assert not any(KANA.search(note) for note in english["notes"])
    assert len(japanese["notes"]) == len(english["notes"]) > 1
    assert japanese["notes"][0].startswith("パブリックアドレス ")
    assert all(KANA.search(note) for note in japanese["notes"]), japanese["notes"]
    # The instance's own output and the ids are the same in either language.
    assert {**japanese, "notes": None} == {**english, "notes": None}
