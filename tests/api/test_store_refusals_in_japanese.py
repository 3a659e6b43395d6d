"""The store's and the access layer's refusals in the reader's language (issue 11): with
``Accept-Language: ja`` a refusal of the store (a topology's name, region or template, an unknown
topology or analysis, the quotas, the lab's life and its saved tests), of the access layer
(sign in first, a student's lab read only) and of the throttles reads in Japanese, in the API's
JSON and on the page, and names the same ids and numbers; the code never translates."""

from __future__ import annotations

import html
import re
import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app import whole_network
from app.db import history
from app.db.store import Store
from app.main import create_app
from tests.accounts.helpers import Classroom
from tests.conftest import csrf_token_of

from .lab import API, Lab, expect_error
from .test_fair_use import app_client, own_settings, slow_analyses  # noqa: F401 (a fixture)

JA = {"Accept-Language": "ja-JP,ja;q=0.9,en;q=0.8"}
PAGE_JA = {**JA, "Accept": "text/html"}
KANA = re.compile(r"[\u3040-\u30ff]")
UNKNOWN = "0123456789ab"


def said(response: Any, status: int, code: str, *phrases: str) -> str:
    """The refusal's message, in Japanese, with each of ``phrases`` in it."""
    message = expect_error(response, status, code)["message"]
    assert KANA.search(message), message
    for phrase in phrases:
        assert phrase in message, (phrase, message)
    return str(message)


def page_says(response: Any, status: int, *phrases: str) -> None:
    assert response.status_code == status, (response.status_code, response.text[:300])
    for phrase in phrases:
        assert phrase in html.unescape(response.text), (phrase, response.text[:2000])


def test_a_topologys_name_region_and_template_are_refused_in_japanese(
    client: TestClient,
) -> None:
    create = f"{API}/topologies"
    said(
        client.post(create, json={"name": "   "}, headers=JA),
        400,
        "InvalidParameterValue",
        "トポロジー名は 1～200 文字で入力してください。",
    )
    said(
        client.post(create, json={"name": "x", "region": "mars-1"}, headers=JA),
        400,
        "InvalidParameterValue",
        "'mars-1' はラボが扱うリージョンではありません",
        "ap-northeast-1",
    )
    said(
        client.post(create, json={"name": "x", "template": "nope"}, headers=JA),
        400,
        "InvalidParameterValue",
        "テンプレート 'nope' はありません",
        "seed-002-ssh",
    )
    english = expect_error(client.post(create, json={"name": "   "}), 400, "InvalidParameterValue")
    assert english["message"] == "A topology needs a name of 1 to 200 characters."
    page_says(
        client.post("/topologies", data={"name": "x", "region": "mars-1"}, headers=JA),
        400,
        "'mars-1' はラボが扱うリージョンではありません",
    )


def test_an_unknown_topology_and_analysis_are_refused_in_japanese(client: TestClient) -> None:
    said(
        client.get(f"{API}/topologies/{UNKNOWN}", headers=JA),
        404,
        "InvalidTopologyID.NotFound",
        f"トポロジー '{UNKNOWN}' は存在しません。",
    )
    english = client.get(f"{API}/topologies/{UNKNOWN}").json()["error"]["message"]
    assert english == f"The topology '{UNKNOWN}' does not exist."
    page_says(
        client.get(f"/topologies/{UNKNOWN}", headers=PAGE_JA),
        404,
        f"トポロジー '{UNKNOWN}' は存在しません。",
    )
    lab = Lab(client)
    said(
        lab.call("GET", "analyses/987654", headers=JA),
        404,
        "InvalidAnalysisID.NotFound",
        "分析 '987654' はこのトポロジーに存在しません。",
    )


def test_the_quotas_are_said_in_japanese(engine: Any, database_url: str) -> None:
    store = Store(engine, max_topologies=1, max_analyses=1)
    with TestClient(
        create_app(own_settings(database_url), store=store), raise_server_exceptions=False
    ) as client:
        client.headers["X-CSRF-Token"] = csrf_token_of(client.get("/").text)
        lab = Lab(client, "seed-002-ssh")
        said(
            client.post(f"{API}/topologies", json={"name": "two"}, headers=JA),
            400,
            "TopologyLimitExceeded",
            "トポロジーが 1 個あり、このラボの上限 (1) に達しています",
        )
        page_says(
            client.post("/topologies", data={"name": "two"}, headers=JA),
            400,
            "TopologyLimitExceeded",
            "このラボの上限 (1) に達しています",
        )
        ssh = {"source": "internet", "destination": lab.instances()[0]["InstanceId"]}
        ssh |= {"protocol": "tcp", "destination_port": 22}
        lab.ok("POST", "analyses", ssh, status=201)
        said(
            lab.call("POST", "analyses", ssh, headers=JA),
            400,
            "AnalysisLimitExceeded",
            "保存した分析が 1 件あり、上限 (1) に達しています",
        )
        page = client.post(f"/topologies/{lab.id}/test", data={**ssh, "save": "1"}, headers=JA)
        assert "AnalysisLimitExceeded" in page.text and "上限 (1) に達しています" in page.text


def test_the_lab_life_refusals_are_said_in_japanese(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history, "REVISIONS_KEPT", 2)
    lab = Lab(client, "seed-002-ssh")
    imported = Lab(client, name="imported")
    imported.ok("POST", "import", lab.ok("GET", "export"))
    said(
        imported.call("POST", "reset", headers=JA),
        409,
        "OperationNotPermitted",
        "テンプレートから作成されていない",
        "履歴からいずれかのリビジョンを復元してください",
    )
    for _ in range(3):
        lab.ok("POST", "internet-gateways", {}, 201)
    said(
        lab.call("POST", "revisions/1/restore", headers=JA),
        400,
        "InvalidRevision.Expired",
        "リビジョン 1 はもう保持されていません",
        "直近 2 個のリビジョン",
        "復元できる最も古いリビジョンは 2 です。",
    )
    english = expect_error(lab.call("POST", "revisions/1/restore"), 400, "InvalidRevision.Expired")
    assert english["message"] == (
        "Revision 1 is no longer kept: the lab keeps the last 2 revisions of a topology, and can "
        "restore only those. The oldest revision you can restore is 2."
    )
    said(
        lab.call("POST", "revisions/9/restore", headers=JA),
        404,
        "InvalidRevision.NotFound",
        "このトポロジーにリビジョン 9 はありません。リビジョンは 4 までです。",
    )
    said(
        lab.call("POST", "revisions/4/restore", headers=JA),
        400,
        "InvalidParameterValue",
        "リビジョン 4 は現在のトポロジーそのものです",
    )


@pytest.mark.parametrize(
    ("tests", "english", "japanese"),
    [
        (
            [{"source": "internet"}],
            "VpcLabSavedTests[0]: the test has no destination. Nothing was imported.",
            "VpcLabSavedTests[0]: テストに destination がありません。"
            "何もインポートされていません。",
        ),
        (
            [{"source": "internet", "destination": "i-1", "protocol": "gre"}],
            "VpcLabSavedTests[0]: protocol must be one of tcp, udp, icmp. Nothing was imported.",
            "protocol は tcp, udp, icmp のいずれかでなければなりません。",
        ),
        (
            [{"source": "internet", "destination": "i-nothere", "destination_port": 22}],
            "VpcLabSavedTests[0]: InvalidInstanceID.NotFound: The instance 'i-nothere' does not "
            "exist. Nothing was imported.",
            "VpcLabSavedTests[0]: InvalidInstanceID.NotFound: "
            "インスタンス 'i-nothere' は存在しません。",
        ),
        (
            "not a list",
            "VpcLabSavedTests must be a list of test requests",
            "VpcLabSavedTests はテストリクエストのリストでなければなりません",
        ),
    ],
)
def test_a_saved_test_the_import_refuses_is_said_in_japanese(
    client: TestClient, tests: Any, english: str, japanese: str
) -> None:
    lab = Lab(client)
    bundle = {"Vpcs": [], "VpcLabSavedTests": tests}
    refused = expect_error(lab.call("POST", "import", bundle), 400, "InvalidParameterValue")
    assert refused["message"].startswith(english)
    said(lab.call("POST", "import", bundle, headers=JA), 400, "InvalidParameterValue", japanese)


def test_the_throttles_are_said_in_japanese(
    store: Store,
    database_url: str,
    slow_analyses: threading.Event,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with app_client(store, database_url, imports_per_minute=1, jobs_per_client=1) as client:
        lab = Lab(client, "seed-001-nat")
        lab.ok("POST", "import", {"Vpcs": []})
        said(
            lab.call("POST", "import", {"Vpcs": []}, headers=JA),
            429,
            "RequestLimitExceeded",
            "import のリクエストが多すぎます。1 クライアントあたり 1 分間に 1 件までです。",
        )
        running = client.get(f"/topologies/{lab.id}/exposure")
        assert running.status_code == 200
        busy = client.get(f"/topologies/{lab.id}/matrix?preset=mysql", headers=JA)
        page_says(busy, 429, "RequestLimitExceeded", "1 つのクライアントの上限に達しています")
        said(
            lab.call("GET", "reachability-matrix", headers=JA),
            429,
            "RequestLimitExceeded",
            "ネットワーク全体の分析が 1 件、待機中または実行中で",
        )
        slow_analyses.set()


def test_a_matrix_too_big_is_said_in_japanese(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(whole_network, "MAX_MATRIX_PAIRS", 1)
    lab = Lab(client, "seed-001-nat")
    english = expect_error(
        lab.call("GET", "reachability-matrix?port=22"), 400, "InvalidParameterCombination"
    )
    assert english["message"].startswith("That matrix is ")
    said(
        lab.call("GET", "reachability-matrix?port=22", headers=JA),
        400,
        "InvalidParameterCombination",
        "このマトリックスは ",
        "1 回のリクエストで判定できるのは 1 ペアまでです。",
    )


def test_sign_in_first_and_a_students_lab_read_only_are_said_in_japanese(
    classroom: Classroom,
) -> None:
    said(
        classroom.client().get(f"{API}/topologies", headers=JA),
        401,
        "AuthFailure",
        "先にサインインしてください。",
        "'Authorization: Bearer <token>'",
    )
    said(
        classroom.client().get(f"{API}/topologies", headers={**JA, "Authorization": "Bearer x"}),
        401,
        "AuthFailure",
        "この API トークンは無効です",
    )
    teacher = classroom.add_user("teacher", "instructor")
    alice = classroom.add_user("alice", "student")
    classroom.join(classroom.add_class(teacher), alice)
    lab = Lab(classroom.signed_in("alice"))
    instructor = classroom.signed_in("teacher")
    english = expect_error(
        instructor.patch(lab.url(), json={"name": "mine"}), 403, "UnauthorizedOperation"
    )
    assert "Copy it to your labs to try changes." in english["message"]
    said(
        instructor.patch(lab.url(), json={"name": "mine"}, headers=JA),
        403,
        "UnauthorizedOperation",
        f"トポロジー '{lab.id}' は受講者のものです。",
        "自分のラボにコピーしてください。",
    )
