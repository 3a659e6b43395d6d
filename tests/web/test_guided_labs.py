"""Guided labs in the browser, without JavaScript: the list of labs with its start button, the
lab panel of the workspace with ✔/✘ per check evaluated at every view, "next step" only once
they pass, going back, and the same in Japanese."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app.db.store import Store
from app.engine import Topology, checks
from app.engine.checks import CheckResult
from app.i18n import reading
from app.labs.progress import Checked
from app.web.guided import lab_text, result_words
from app.web.workspace import endpoint_label
from tests.accounts.helpers import Classroom
from tests.conftest import csrf_token_of
from tests.guided import OWN_VPC, panel, use_test_labs

from .lab import HX


@pytest.fixture(autouse=True)
def test_labs(monkeypatch: pytest.MonkeyPatch) -> None:
    use_test_labs(monkeypatch)


def without_js(client: TestClient) -> TestClient:
    """A browser without htmx: no CSRF header, only the token of each form."""
    client.headers.pop("X-CSRF-Token", None)
    return client


def start_from_the_list(client: TestClient, lab: str = "test-build") -> str:
    page = client.get("/labs")
    assert page.status_code == 200
    answer = client.post(
        f"/labs/{lab}/start", data={"csrf_token": csrf_token_of(page.text)}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    return answer.headers["location"].rsplit("/", 1)[-1]


def test_the_topologies_page_leads_to_the_labs_and_a_lab_starts_from_there(
    client: TestClient,
) -> None:
    without_js(client)
    assert 'href="/labs"' in client.get("/").text
    page = client.get("/labs").text
    assert "Build a VPC" in page and "2 steps" in page and "Keep SSH open" in page

    topology = start_from_the_list(client)

    shown = panel(client.get(f"/topologies/{topology}").text)
    assert "Build a VPC" in shown and "Step 1 of 2" in shown
    assert 'value="0"' in shown and "0% complete" in shown
    assert "Create a VPC with the CIDR block 10.0.0.0/16." in shown
    assert "✘" in shown and "✔" not in shown and "A VPC of your own exists" in shown
    assert "0 of 1 found" in shown
    assert "Use Create: VPC above." in shown and "<details" in shown
    assert "/lab/next" not in shown  # no "next step" while a check fails
    assert f'href="/topologies/{topology}#lab-panel"' in client.get("/labs").text
    assert (
        "Started the guided lab “Build a VPC”" in client.get(f"/topologies/{topology}/history").text
    )


def test_next_is_refused_until_the_checks_pass_then_the_lab_goes_on_and_back(
    client: TestClient,
) -> None:
    without_js(client)
    topology = start_from_the_list(client)
    page = client.get(f"/topologies/{topology}").text
    token = csrf_token_of(page)

    refused = client.post(f"/topologies/{topology}/lab/next", data={"csrf_token": token})
    assert refused.status_code == 409
    assert "IncorrectState" in panel(refused.text) and "Step 1 of 2" in panel(refused.text)

    made = client.post(
        f"/topologies/{topology}/do/create-vpc",
        data={"csrf_token": token, "CidrBlock": "10.0.0.0/16"},
    )
    assert made.status_code == 200  # the 303 followed: the workspace again
    shown = panel(made.text)
    assert "✔" in shown and "✘" not in shown and "Next step" in shown
    assert "1 found" in shown

    moved = client.post(f"/topologies/{topology}/lab/next", data={"csrf_token": token})
    shown = panel(moved.text)
    assert "Step 2 of 2" in shown and "50% complete" in shown
    assert "An internet gateway is attached" in shown and "✘" in shown
    assert "Step 1: Create a VPC" in shown  # the way back

    back = client.post(f"/topologies/{topology}/lab/step", data={"csrf_token": token, "step": "0"})
    assert "Step 1 of 2" in panel(back.text) and "✔" in panel(back.text)


def test_the_panel_follows_every_change_in_the_htmx_fragment(client: TestClient) -> None:
    topology = start_from_the_list(client, "test-ssh")
    assert "✔" in panel(client.get(f"/topologies/{topology}").text)
    groups = client.get(f"/api/v1/topologies/{topology}/security-groups").json()
    ssh = next(
        g
        for g in groups["SecurityGroups"]
        if any(p.get("FromPort") == 22 for p in g["IpPermissions"])
    )
    fragment = client.post(
        f"/topologies/{topology}/do/revoke-sg",
        data={
            "GroupId": ssh["GroupId"],
            "Direction": "ingress",
            "Index": "0",
        },
        headers=HX,
    )
    assert fragment.status_code == 200, fragment.text
    shown = panel(fragment.text)
    assert "✘" in shown and "✔" not in shown, shown
    assert "Blocked at:" in shown and ssh["GroupId"] in shown and "SG_HAS_NO_RULES" in shown
    assert "Add an inbound rule to" in shown and "/lab/next" not in shown
    assert "Blocked from internet to " in shown


def test_the_panel_in_japanese(client: TestClient) -> None:
    client.headers["Accept-Language"] = "ja"
    topology = start_from_the_list(client, "test-ssh")
    assert client.get(f"/api/v1/topologies/{topology}").json()["name"] == "SSH を開けておく"
    page = client.get(f"/topologies/{topology}").text
    shown = panel(page)
    assert "SSH を開けておく" in shown and "自宅から EC2 へ SSH できる" in shown
    assert "ステップ 1 / 1" in shown
    assert "Step" not in shown and "Next step" not in shown
    labs = client.get("/labs").text
    assert "ガイド付きラボ" in labs and "VPC を作る" in labs


def test_an_instructor_sees_the_panel_without_the_forms_that_move_it(
    classroom: Classroom,
) -> None:
    teacher = classroom.add_user("teacher", role="instructor")
    course = classroom.add_class(teacher)
    classroom.add_user("alice", classroom_id=course)
    alice = classroom.signed_in("alice")
    topology = start_from_the_list(alice)
    instructor = classroom.signed_in("teacher")

    shown = panel(instructor.get(f"/topologies/{topology}").text)
    assert "Step 1 of 2" in shown and "/lab/" not in shown
    refused = instructor.post(f"/topologies/{topology}/lab/step", data={"step": "0"})
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("code", "params", "english", "japanese"),
    [
        ("missing", {"found": 1, "wanted": 2}, "1 of 2 found", "2 件中 1 件あり"),
        ("present", {"found": 3, "wanted": 0}, "3 found, where none should be", "3 件あります"),
        ("ok", {"found": 0, "wanted": 0}, "None found, as it should be.", "想定どおり"),
        (
            "no_endpoint",
            {"kind": "flow", "end": "destination"},
            "No instance matches the destination of this check yet.",
            "送信先に当てはまるインスタンスがまだありません",
        ),
        (
            "reachable",
            {"kind": "flow", "source": "internet", "destination": "i-1", "expect": "blocked"},
            "internet reaches i-1, and it should be blocked.",
            "internet から i-1 へ届いています",
        ),
    ],
)
def test_each_result_code_has_words_in_both_languages(
    code: str, params: dict[str, object], english: str, japanese: str
) -> None:
    checked = Checked(OWN_VPC, CheckResult(code == "ok", code, dict(params)))
    with reading("en"):
        assert result_words(checked) == english
    with reading("ja"):
        assert japanese in result_words(checked)


def test_a_labs_wrapped_lines_read_as_one_paragraph_in_either_language() -> None:
    english = lab_text("Connect with\n`ssh ec2-user@<Elastic IP>`.\n\nThen <ping>.")
    japanese = lab_text("二つの AZ に\nサブネットを一つずつ\n作成します。")

    assert english == (
        "<p>Connect with <code>ssh ec2-user@&lt;Elastic IP&gt;</code>.</p><p>Then &lt;ping&gt;.</p>"
    )
    assert japanese == "<p>二つの AZ にサブネットを一つずつ作成します。</p>"


def test_a_start_past_the_topology_quota_says_why_on_the_labs_page(
    client: TestClient, store: Store
) -> None:
    store.max_topologies = 1
    start_from_the_list(client)
    page = client.get("/labs")
    refused = client.post("/labs/test-ssh/start", data={"csrf_token": csrf_token_of(page.text)})

    assert refused.status_code == 400
    assert "TopologyLimitExceeded" in refused.text and "Keep SSH open" in refused.text
    assert len(client.get("/api/v1/topologies").json()["topologies"]) == 1
    missing = client.post("/labs/nope/start", data={"csrf_token": csrf_token_of(page.text)})
    assert missing.status_code == 404


def test_an_editor_fragment_does_not_evaluate_the_lab(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Clicking in the diagram swaps the inspector only: no panel there, no checks run."""
    topology = start_from_the_list(client, "test-ssh")
    calls: list[object] = []
    real = checks.evaluate
    monkeypatch.setattr(checks, "evaluate", lambda *a: calls.append(a) or real(*a))
    vpc = client.get(f"/api/v1/topologies/{topology}/vpcs").json()["Vpcs"][0]["VpcId"]

    editor = client.get(
        f"/topologies/{topology}?select={vpc}", headers={**HX, "HX-Target": "editor"}
    )
    assert editor.status_code == 200 and "lab-panel" not in editor.text and not calls
    whole = client.get(f"/topologies/{topology}?select={vpc}", headers=HX)
    assert "lab-panel" in whole.text and len(calls) == 1


def status_line(html: str) -> str:
    found = re.search(r'<div id="lab-status".*?</div>', html, re.DOTALL)
    assert found, "the workspace shows no lab status line"
    return re.sub(r"\s+", " ", found.group(0))


def test_the_status_line_says_each_changes_result_in_the_page_and_the_fragment(
    client: TestClient,
) -> None:
    """After a create the learner is down at the editor: the sticky line there says the step,
    how many checks pass, and offers "next step" once they all do."""
    topology = start_from_the_list(client)
    shown = status_line(client.get(f"/topologies/{topology}").text)
    assert "Step 1 of 2" in shown and "Create a VPC" in shown
    assert "0 of 1 checks pass" in shown and "✘" in shown and "✔" not in shown
    assert "/lab/next" not in shown and 'href="#lab-panel"' in shown

    fragment = client.post(
        f"/topologies/{topology}/do/create-vpc", data={"CidrBlock": "10.0.0.0/16"}, headers=HX
    )
    assert fragment.status_code == 200, fragment.text
    shown = status_line(fragment.text)
    assert "1 of 1 checks pass" in shown and "✔" in shown and "✘" not in shown
    assert f'action="/topologies/{topology}/lab/next"' in shown and "Next step" in shown

    moved = client.post(f"/topologies/{topology}/lab/next", headers=HX)
    shown = status_line(moved.text)
    assert "Step 2 of 2" in shown and "Attach an internet gateway" in shown
    assert "0 of 1 checks pass" in shown and "/lab/next" not in shown


def test_the_status_line_in_japanese_and_for_a_reader(classroom: Classroom) -> None:
    teacher = classroom.add_user("teacher", role="instructor")
    course = classroom.add_class(teacher)
    classroom.add_user("alice", classroom_id=course)
    alice = classroom.signed_in("alice")
    alice.headers["Accept-Language"] = "ja"
    topology = start_from_the_list(alice, "test-ssh")

    shown = status_line(alice.get(f"/topologies/{topology}").text)
    assert "ステップ 1 / 1" in shown and "1 件中 1 件のチェックが合格" in shown
    assert "次のステップへ" not in shown and "ラボを完了する" in shown  # the last step
    assert "説明とチェック" in shown and "Step" not in shown
    reader = status_line(classroom.signed_in("teacher").get(f"/topologies/{topology}").text)
    assert "1 of 1 checks pass" in reader and "/lab/" not in reader


def test_next_step_keeps_the_resource_open_in_the_inspector(client: TestClient) -> None:
    without_js(client)
    topology = start_from_the_list(client)
    page = client.get(f"/topologies/{topology}")
    token = csrf_token_of(page.text)
    made = client.post(
        f"/topologies/{topology}/do/create-vpc",
        data={"csrf_token": token, "CidrBlock": "10.0.0.0/16"},
        follow_redirects=False,
    )
    vpc = made.headers["location"].split("select=")[1]
    assert vpc.startswith("vpc-")
    shown = panel(client.get(made.headers["location"]).text)
    assert f'name="select" value="{vpc}"' in shown

    moved = client.post(
        f"/topologies/{topology}/lab/next",
        data={"csrf_token": token, "select": vpc},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    assert moved.headers["location"] == f"/topologies/{topology}?select={vpc}#lab-panel"
    page = client.get(moved.headers["location"])
    assert "Step 2 of 2" in panel(page.text)
    assert re.search(r'<h2 id="inspector-heading"><span class="kind">VPC', page.text)

    back = client.post(
        f"/topologies/{topology}/lab/step",
        data={"csrf_token": token, "step": "0", "select": vpc},
        headers={**HX, "X-CSRF-Token": token},
    )
    assert "Step 1 of 2" in panel(back.text)
    assert back.headers["HX-Push-Url"] == f"/topologies/{topology}?select={vpc}"
    assert re.search(r'<h2 id="inspector-heading"><span class="kind">VPC', back.text)


def test_a_labs_lists_render_as_lists_and_stay_escaped() -> None:
    html = lab_text(
        "Create two subnets:\n\n- 10.0.1.0/24 <public>\n  for the web server\n\n"
        "- 10.0.2.0/24 `<script>alert(1)</script>`\n\n"
        "1. Allocate an Elastic IP.\n2. Create a <b>NAT</b> gateway.\n\nThen test."
    )

    assert html == (
        "<p>Create two subnets:</p>"
        "<ul><li>10.0.1.0/24 &lt;public&gt; for the web server</li>"
        "<li>10.0.2.0/24 <code>&lt;script&gt;alert(1)&lt;/script&gt;</code></li></ul>"
        "<ol><li>Allocate an Elastic IP.</li><li>Create a &lt;b&gt;NAT&lt;/b&gt; gateway.</li></ol>"
        "<p>Then test.</p>"
    )
    assert lab_text("3. 三つ目\n4. 四つ目") == '<ol start="3"><li>三つ目</li><li>四つ目</li></ol>'
    assert (
        lab_text("10.0.0.0/16 は VPC の CIDR です。") == "<p>10.0.0.0/16 は VPC の CIDR です。</p>"
    )


def test_a_japanese_result_has_spaces_only_around_latin_words() -> None:
    model = Topology()
    blocked = Checked(
        OWN_VPC,
        CheckResult(
            False,
            "blocked",
            {"kind": "flow", "source": "i-0db", "destination": "internet", "expect": "reaches"},
        ),
    )
    with reading("ja"):
        words = result_words(blocked, lambda value: endpoint_label(model, value))
    assert words == "i-0db からインターネットへの通信がブロックされています。"
    with reading("en"):
        words = result_words(blocked, lambda value: endpoint_label(model, value))
    assert words == "Blocked from i-0db to internet."


def test_the_panel_in_japanese_names_the_internet_without_stray_spaces(
    client: TestClient,
) -> None:
    client.headers["Accept-Language"] = "ja"
    topology = start_from_the_list(client, "test-ssh")
    groups = client.get(f"/api/v1/topologies/{topology}/security-groups").json()
    ssh = next(
        g
        for g in groups["SecurityGroups"]
        if any(p.get("FromPort") == 22 for p in g["IpPermissions"])
    )
    fragment = client.post(
        f"/topologies/{topology}/do/revoke-sg",
        data={"GroupId": ssh["GroupId"], "Direction": "ingress", "Index": "0"},
        headers=HX,
    )
    shown = panel(fragment.text)
    assert "インターネットから " in shown and "インターネット から" not in shown, shown
    assert "1 件中 0 件のチェックが合格" in status_line(fragment.text)
