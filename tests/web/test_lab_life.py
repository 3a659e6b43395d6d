"""A lab's life in the browser: a confirmation page before every destructive action when
JavaScript is off, duplicate, reset, the history with restore, saved tests in uploads."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from fastapi.testclient import TestClient

from app.web.actions import ACTIONS
from app.web.lab_life import CONFIRMED

from .lab import HX, seed_001

# What a destructive action is called, however many of them the workspace grows.
DESTRUCTIVE = re.compile(r"^(delete|terminate|revoke|unassign|reject|release)")


@dataclass
class Form:
    attrs: dict[str, str]
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def action_name(self) -> str:
        target = self.attrs.get("hx-post") or self.attrs.get("action", "")
        return target.rsplit("/", 1)[-1]


class Forms(HTMLParser):
    """Every form of a page with its hidden and text fields, as a browser without JS sees it."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._open: Form | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._open = Form(values)
            self.forms.append(self._open)
        elif tag == "input" and self._open is not None and "name" in values:
            self._open.fields[values["name"]] = values.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None


def revision(client: TestClient, topology: str) -> int:
    return client.get(f"/api/v1/topologies/{topology}").json()["revision"]  # type: ignore[no-any-return]


def a_lab_with_every_destructive_form(client: TestClient) -> tuple[str, list[str]]:
    """Seed 001 plus a secondary IP, an Elastic IP and a pending peering request."""
    ids = seed_001(client)
    api = f"/api/v1/topologies/{ids.topology}"
    client.post(
        f"{api}/network-interfaces/{ids.web_eni}/assign-private-ip-addresses",
        json={"SecondaryPrivateIpAddressCount": 1},
    )
    client.post(f"{api}/addresses", json={})
    other = client.post(f"{api}/vpcs", json={"CidrBlock": "10.20.0.0/16"}).json()["VpcId"]
    assert (
        client.post(
            f"{api}/vpc-peering-connections", json={"VpcId": ids.vpc, "PeerVpcId": other}
        ).status_code
        == 201
    )
    export = client.get(f"{api}/export").json()
    rids = [
        item[key]
        for items in export.values()
        if isinstance(items, list)
        for item in items
        for key in item
        if key.endswith("Id")
        and key
        in {
            "VpcId",
            "SubnetId",
            "RouteTableId",
            "InternetGatewayId",
            "NatGatewayId",
            "GroupId",
            "NetworkAclId",
            "NetworkInterfaceId",
            "AllocationId",
            "VpcPeeringConnectionId",
            "DhcpOptionsId",
        }
    ] + [ids.web, ids.db]
    return ids.topology, sorted(set(rids))


def forms_of(client: TestClient, topology: str, rid: str) -> list[Form]:
    page = client.get(f"/topologies/{topology}", params={"select": rid})
    assert page.status_code == 200
    return Forms(page.text).forms


def test_the_destructive_actions_are_exactly_those_that_ask_first() -> None:
    assert {name for name in ACTIONS if DESTRUCTIVE.match(name)} == CONFIRMED


def test_every_destructive_form_opens_a_confirmation_page_without_javascript(
    client: TestClient,
) -> None:
    topology, rids = a_lab_with_every_destructive_form(client)
    seen: set[str] = set()
    for rid in rids:
        for form in forms_of(client, topology, rid):
            if form.action_name not in CONFIRMED:
                continue
            seen.add(form.action_name)
            # Without JavaScript: a GET to the confirmation page, which changes nothing.
            assert form.attrs["method"] == "get", form.attrs
            assert form.attrs["action"] == f"/topologies/{topology}/confirm/{form.action_name}"
            # With JavaScript: htmx asks, then posts the action itself.
            assert form.attrs["hx-post"] == f"/topologies/{topology}/do/{form.action_name}"
            assert form.attrs["hx-confirm"].endswith("?")
            assert "csrf_token" not in form.fields  # never in a URL
    assert seen == CONFIRMED


def confirm_then_post(client: TestClient, topology: str, form: Form) -> str:
    """A browser without JavaScript: the form's GET, then the confirmation page's POST."""
    before = revision(client, topology)
    page = client.get(form.attrs["action"], params=form.fields)
    assert page.status_code == 200, page.text
    assert revision(client, topology) == before  # asking changes nothing
    confirm = [f for f in Forms(page.text).forms if f.attrs.get("method") == "post"]
    assert len(confirm) == 1 and confirm[0].attrs["action"] == (
        f"/topologies/{topology}/do/{form.action_name}"
    )
    assert confirm[0].fields["csrf_token"]
    posted = client.post(confirm[0].attrs["action"], data=confirm[0].fields, follow_redirects=False)
    assert posted.status_code == 303, posted.text
    assert revision(client, topology) == before + 1  # only the confirmed POST changes it
    return page.text


def test_each_destructive_action_changes_nothing_until_its_confirmation_is_posted(
    client: TestClient,
) -> None:
    topology, rids = a_lab_with_every_destructive_form(client)
    questions = {}
    for action in (
        "revoke-sg",
        "delete-nacl-entry",
        "delete-route",
        "unassign-ip",
        "reject-peering",
        "terminate-instance",
        "delete",
    ):
        form = next(
            f for rid in rids for f in forms_of(client, topology, rid) if f.action_name == action
        )
        if action == "delete":  # something nothing depends on: the Elastic IP
            form = next(
                f
                for rid in rids
                if rid.startswith("eipalloc-")
                for f in forms_of(client, topology, rid)
                if f.action_name == "delete"
            )
        questions[action] = confirm_then_post(client, topology, form)
    assert "Terminate" in questions["terminate-instance"]
    assert "cannot be started again" in questions["terminate-instance"]
    assert "Delete Elastic IP (release)" in questions["delete"]
    assert "restore the revision before this change" in questions["revoke-sg"]


def test_a_confirmation_page_in_japanese(client: TestClient) -> None:
    topology, rids = a_lab_with_every_destructive_form(client)
    form = next(
        f
        for rid in rids
        for f in forms_of(client, topology, rid)
        if f.action_name == "terminate-instance"
    )
    page = client.get(form.attrs["action"], params=form.fields, headers={"Accept-Language": "ja"})
    assert "終了" in page.text and "キャンセル" in page.text


def test_the_confirmation_page_refuses_an_action_that_does_not_ask(client: TestClient) -> None:
    ids = seed_001(client)
    page = client.get(
        f"/topologies/{ids.topology}/confirm/create-vpc", headers={"Accept": "text/html"}
    )
    assert page.status_code == 400 and "InvalidAction" in page.text


# ---- duplicate, reset, history --------------------------------------------------------------
def test_duplicate_from_the_list_opens_the_copy_and_says_what_it_is(client: TestClient) -> None:
    ids = seed_001(client)
    home = Forms(client.get("/").text).forms
    duplicate = next(f for f in home if f.attrs.get("action", "").endswith("/duplicate"))
    answer = client.post(duplicate.attrs["action"], data=duplicate.fields, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].endswith("?done=copied")
    copy = answer.headers["location"].split("/")[2].split("?")[0]
    assert copy != ids.topology
    page = client.get(answer.headers["location"]).text
    assert "This is a copy of “web tests”" in page
    assert "web tests (copy)" in client.get("/").text
    japanese = client.post(
        duplicate.attrs["action"], data=duplicate.fields, headers={"Accept-Language": "ja"}
    ).text
    assert "これは「web tests」のリソースと保存したテストの複製です" in japanese
    assert "web tests (コピー)" in client.get("/").text  # named in the reader's language


def test_reset_asks_first_and_is_not_offered_for_an_imported_topology(
    client: TestClient,
) -> None:
    ids = seed_001(client)
    api = f"/api/v1/topologies/{ids.topology}"
    client.post(f"{api}/internet-gateways", json={})
    workspace = client.get(f"/topologies/{ids.topology}").text
    assert f'href="/topologies/{ids.topology}/reset"' in workspace
    page = client.get(f"/topologies/{ids.topology}/reset")
    assert page.status_code == 200 and "Reset to the template" in page.text
    assert revision(client, ids.topology) == 2
    answer = client.post(f"/topologies/{ids.topology}/reset", follow_redirects=False)
    assert (
        answer.headers["location"].endswith("?done=reset") and revision(client, ids.topology) == 3
    )
    assert "To undo it, restore revision 2" in client.get(answer.headers["location"]).text

    upload = client.post(
        "/topologies/import",
        files={
            "bundle": (
                "lab.json",
                json.dumps(client.get(f"{api}/export").json()),
                "application/json",
            )
        },
        follow_redirects=False,
    )
    imported = upload.headers["location"].rsplit("/", 1)[1]
    assert f"/topologies/{imported}/reset" not in client.get(f"/topologies/{imported}").text
    refused = client.get(f"/topologies/{imported}/reset")
    assert refused.status_code == 409 and "not created from a template" in refused.text
    assert client.post(f"/topologies/{imported}/reset").status_code == 409
    assert revision(client, imported) == 2


def test_history_lists_revisions_newest_first_and_restores_after_confirmation(
    client: TestClient,
) -> None:
    ids = seed_001(client)
    client.post(
        f"/topologies/{ids.topology}/do/create-igw", data={"Name": "extra"}, follow_redirects=False
    )
    client.post(f"/api/v1/topologies/{ids.topology}/internet-gateways", json={})
    history = client.get(f"/topologies/{ids.topology}/history")
    text = history.text
    assert text.index("Through the API: create_internet_gateway") < text.index("create igw")
    assert text.index("create igw") < text.index("Created from the template")
    assert "keeps the last 100 revisions" in text
    links = re.findall(rf'href="(/topologies/{ids.topology}/revisions/(\d+)/restore)"', text)
    assert [n for _, n in links] == ["2", "1"]  # the current revision has no restore
    page = client.get(links[-1][0])
    assert page.status_code == 200 and "Restore revision 1" in page.text
    assert revision(client, ids.topology) == 3
    form = next(f for f in Forms(page.text).forms if f.attrs.get("method") == "post")
    answer = client.post(form.attrs["action"], data=form.fields, follow_redirects=False)
    assert answer.headers["location"].endswith("?done=restored")
    assert revision(client, ids.topology) == 4
    assert (
        "Revision 1 is back, as the new revision 4" in client.get(answer.headers["location"]).text
    )
    assert (
        len(
            client.get(f"/api/v1/topologies/{ids.topology}/internet-gateways").json()[
                "InternetGateways"
            ]
        )
        == 1
    )
    japanese = client.get(f"/topologies/{ids.topology}/history", headers={"Accept-Language": "ja"})
    assert "履歴" in japanese.text and "リビジョン 1 を復元" in japanese.text


def test_restoring_a_revision_no_longer_kept_says_why(client: TestClient) -> None:
    ids = seed_001(client)
    page = client.get(f"/topologies/{ids.topology}/revisions/1/restore")
    assert page.status_code == 400 and "nothing to restore" in page.text
    assert '<form method="post"' not in page.text


def test_an_upload_with_a_bad_saved_test_is_refused_and_leaves_no_topology(
    client: TestClient,
) -> None:
    ids = seed_001(client)
    bundle = client.get(f"/api/v1/topologies/{ids.topology}/export").json()
    bundle["VpcLabSavedTests"] = [{"source": "internet"}]
    answer = client.post(
        "/topologies/import",
        files={"bundle": ("lab.json", json.dumps(bundle), "application/json")},
    )
    assert answer.status_code == 400 and "VpcLabSavedTests[0]" in answer.text
    assert len(client.get("/api/v1/topologies").json()["topologies"]) == 1
    _ = HX
