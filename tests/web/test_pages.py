"""Pages: topologies (create, rename, delete, import, export), test connection, instance view,
and the qualities of a real product (CSP, vendored htmx, labels, no-JS forms)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.db import tables
from tests.engine.test_scenario_real_export import FIXTURES

from .lab import HX, seed_001


def test_topologies_page_creates_renames_and_deletes_with_confirmation(client: TestClient) -> None:
    home = client.get("/")
    assert home.status_code == 200 and "No topology yet" in home.text
    created = client.post(
        "/topologies",
        data={"name": "Week 1", "region": "ap-northeast-1", "template": "seed-002-ssh"},
        follow_redirects=False,
    )
    assert created.status_code == 303
    topology = created.headers["location"].rsplit("/", 1)[1]
    assert "Week 1" in client.get("/").text
    client.post(f"/topologies/{topology}/rename", data={"name": "Week 2"})
    assert "Week 2" in client.get("/").text
    confirm = client.get(f"/topologies/{topology}/delete")
    assert "cannot be undone" in confirm.text and "Delete topology" in confirm.text
    assert client.post(f"/topologies/{topology}/delete", follow_redirects=False).status_code == 303
    assert "No topology yet" in client.get("/").text


def test_creating_with_a_bad_value_keeps_the_form_and_says_why(client: TestClient) -> None:
    response = client.post("/topologies", data={"name": "   ", "template": "blank"})
    assert response.status_code == 400
    assert "<strong>InvalidParameterValue</strong>" in response.text


def test_import_upload_and_export_download(client: TestClient) -> None:
    bundle: dict = {}
    for path in sorted((FIXTURES / "us-east-2").glob("*.json")):
        bundle.update(json.loads(path.read_text()))
    response = client.post(
        "/topologies/import",
        data={"name": "Ohio", "region": "us-east-2"},
        files={"bundle": ("ohio.json", json.dumps(bundle), "application/json")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    topology = response.headers["location"].rsplit("/", 1)[1]
    workspace = client.get(response.headers["location"]).text
    assert "vpc-1" in workspace and "sub-1-1" in workspace
    export = client.get(f"/topologies/{topology}/export.json")
    assert export.headers["content-disposition"] == 'attachment; filename="Ohio.json"'
    assert len(export.json()["Vpcs"]) == 2


def test_a_broken_upload_is_refused_and_leaves_no_topology(client: TestClient) -> None:
    for content, code in (
        (b"not json", "MalformedJSON"),
        (
            json.dumps(
                {
                    "Subnets": [
                        {
                            "SubnetId": "subnet-x",
                            "VpcId": "vpc-gone",
                            "CidrBlock": "10.0.0.0/24",
                            "AvailabilityZone": "ap-northeast-1a",
                        }
                    ]
                }
            ),
            "InvalidVpcID.NotFound",
        ),
    ):
        response = client.post(
            "/topologies/import",
            data={"name": "bad"},
            files={"bundle": ("b.json", content, "application/json")},
        )
        assert response.status_code == 400
        assert f"<strong>{code}</strong>" in response.text
    assert client.get("/api/v1/topologies").json()["topologies"] == []


def test_test_connection_with_and_without_htmx(client: TestClient) -> None:
    ids = seed_001(client)
    form = {
        "source": ids.db,
        "destination": "internet",
        "preset": "https",
        "destination_ip": "8.8.8.8",
    }
    fragment = client.post(f"/topologies/{ids.topology}/test", data=form, headers=HX)
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "✔ Reachable" in fragment.text and "NAT gateway" in fragment.text
    assert "trace-forward" in fragment.text  # the path drawn on the diagram
    page = client.post(f"/topologies/{ids.topology}/test", data={**form, "save": "1"})
    assert "<html" in page.text and "Saved tests" in page.text
    blocked = client.post(
        f"/topologies/{ids.topology}/test",
        data={"source": "internet", "destination": ids.db, "preset": "ssh"},
        headers=HX,
    ).text
    assert "✘ Not reachable" in blocked and "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS" in blocked
    assert "hop-blocked" in blocked
    missing = client.post(
        f"/topologies/{ids.topology}/test",
        data={"source": "internet", "destination": ""},
        headers=HX,
    ).text
    assert "<strong>MissingParameter</strong>" in missing


def test_a_blocked_test_shows_what_would_follow_greyed_and_never_delivered(
    client: TestClient,
) -> None:
    ids = seed_001(client)
    html = client.post(
        f"/topologies/{ids.topology}/test",
        data={"source": "internet", "destination": ids.web, "preset": "ping"},
        headers=HX,
    ).text
    assert "✘ Not reachable: 1 problem on the way." in html
    forward = html[html.index('class="path path-fwd"') : html.index('class="path path-ret"')]
    before, after = forward.split("If the block above were fixed, the packet would go on:")
    assert "hop-blocked" in before and 'would-be">' not in before
    assert '<ol class="hops would-be" start="4">' in after
    assert ">would be delivered<" in after and 'badge ok">delivered<' not in after
    reply = html[html.index('class="path path-ret"') :]
    assert "While the request is blocked, no reply comes back." in reply
    assert 'badge ok"' not in reply
    assert 'class="block-mark"' in html  # the ✕ on the diagram


def test_a_result_stored_before_after_block_existed_still_renders(
    client: TestClient, engine: Engine
) -> None:
    ids = seed_001(client)
    stored = client.post(
        f"/api/v1/topologies/{ids.topology}/analyses",
        json={"source": "203.0.113.5", "destination": ids.web, "protocol": "icmp"},
    ).json()
    with Session(engine) as session:  # as an older version of the lab stored it
        row = session.exec(select(tables.Analysis)).one()
        old = dict(row.result)
        for path in ("forward_path", "return_path"):
            old[path] = [{k: v for k, v in h.items() if k != "after_block"} for h in old[path]]
        row.result = old
        session.add(row)
        session.commit()

    html = client.get(f"/topologies/{ids.topology}?test={stored['id']}").text

    assert "If the block above were fixed, the packet would go on:" in html
    assert 'class="block-mark"' in html


def test_a_learner_can_test_the_amazon_dns_server_from_an_instance(client: TestClient) -> None:
    ids = seed_001(client)
    page = client.get(f"/topologies/{ids.topology}").text
    assert '<option value="172.30.0.2">Amazon DNS server of lab-vpc' in page
    assert '<option value="169.254.169.254">Instance metadata · 169.254.169.254' in page

    html = client.post(
        f"/topologies/{ids.topology}/test",
        data={"source": ids.db, "destination": "172.30.0.2", "preset": "dns"},
        headers=HX,
    ).text

    assert "reaches the Amazon DNS server (Route 53 Resolver) at 172.30.0.2" in html
    assert '<span class="hop-kind">Amazon DNS server</span>' in html
    assert "do not filter traffic to or from it" in html


def test_saved_tests_rerun_after_an_edit(client: TestClient) -> None:
    ids = seed_001(client)
    client.post(
        f"/topologies/{ids.topology}/test",
        data={"source": ids.db, "destination": "internet", "preset": "https", "save": "1"},
    )
    client.delete(f"/api/v1/topologies/{ids.topology}/nat-gateways/{ids.nat}")
    rerun = client.post(f"/topologies/{ids.topology}/tests/rerun", headers=HX).text
    assert "Re-ran 1 test: 0 pass, 1 fail." in rerun
    assert ">FAIL<" in rerun


def test_instance_view_page(client: TestClient) -> None:
    ids = seed_001(client)
    page = client.get(f"/topologies/{ids.topology}/instances/{ids.web}").text
    assert "default via 172.30.0.1 dev eth0" in page
    assert "inet 172.30.0.4/24 brd 172.30.0.255 scope global eth0" in page
    assert "is not configured on any interface" in page


def test_pages_carry_a_csp_without_unsafe_inline_and_load_no_cdn(client: TestClient) -> None:
    ids = seed_001(client)
    for url in ("/", f"/topologies/{ids.topology}", f"/topologies/{ids.topology}?create=vpc"):
        response = client.get(url)
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert '<script src="/static/htmx-2.0.11.min.js"' in response.text
        assert not re.search(r"<script(?![^>]*src=\"/static/)", response.text)  # no inline JS
        assert "http://" not in response.text.split("</head>")[0].replace(
            'xmlns="http://www.w3.org/2000/svg"', ""
        )
        assert "https://" not in response.text.split("</head>")[0]
    assert client.get("/static/htmx-2.0.11.min.js").status_code == 200
    assert (Path(__file__).parents[2] / "static" / "htmx-2.0.11.min.js").exists()


def test_the_diagram_is_made_of_links_a_keyboard_can_reach(client: TestClient) -> None:
    ids = seed_001(client)
    page = client.get(f"/topologies/{ids.topology}").text
    svg = page[page.find("<svg") : page.find("</svg>")]
    for rid in (
        ids.vpc,
        ids.public,
        ids.private,
        ids.web,
        ids.db,
        ids.nat,
        ids.igw,
        ids.public_rt,
        ids.acl,
        ids.web_sg,
    ):
        assert f'href="/topologies/{ids.topology}?select={rid}"' in svg, rid
    assert 'role="img"' in svg and "<title" in svg
    assert 'class="node node-subnet public' in svg and 'class="node node-subnet private' in svg


def test_a_subnet_named_private_but_routed_public_is_flagged(client: TestClient) -> None:
    ids = seed_001(client)
    client.post(
        f"/topologies/{ids.topology}/do/rename",
        data={"Kind": "subnet", "ResourceId": ids.public, "Name": "private-looking"},
    )
    page = client.get(f"/topologies/{ids.topology}?select={ids.public}").text
    assert "it is a public subnet" in page


def test_the_test_form_offers_what_the_topology_has_now(client: TestClient) -> None:
    """The select boxes are built once per revision (workspace.OPTIONS): never stale."""
    ids = seed_001(client)
    page = f"/topologies/{ids.topology}"

    def chosen(html: str, name: str) -> list[str]:
        select = html[html.index(f'name="{name}"') :]
        select = select[: select.index("</select>")]
        return re.findall(r'<option value="([^"]*)" selected>', select)

    before = client.get(page).text
    launched = client.post(
        f"/api/v1/topologies/{ids.topology}/instances",
        json={"SubnetId": ids.private, "ImageId": "ami-0abcdef1234567890"},
    ).json()
    instance = launched["InstanceId"]
    after = client.get(page).text
    assert f'value="{instance}"' not in before
    assert after.count(f'<option value="{instance}"') == 2  # in "From" and in "To"
    tested = client.post(
        f"{page}/test", data={"source": instance, "destination": ids.db, "preset": "ssh"}
    ).text
    assert chosen(tested, "source") == [instance] and chosen(tested, "destination") == [ids.db]
