"""Hostile strings in every name and description field render as text on every page."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .lab import HX, every_resource_id, seed_001

SCRIPT = "<script>alert('x')</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
HOSTILE = f"{SCRIPT}{ATTRIBUTE}"[:120]
RAW = ("<script>alert", "<img src=x")


def assert_inert(html: str, where: str) -> None:
    for raw in RAW:
        assert raw not in html, f"{where} renders {raw!r} as markup"


def test_hostile_names_everywhere_render_as_text(client: TestClient) -> None:
    ids = seed_001(client)
    t = ids.topology
    api = f"/api/v1/topologies/{t}"
    client.patch(api, json={"name": HOSTILE})
    for kind, rid in (
        ("vpc", ids.vpc),
        ("subnet", ids.public),
        ("subnet", ids.private),
        ("route-table", ids.public_rt),
        ("internet-gateway", ids.igw),
        ("nat-gateway", ids.nat),
        ("security-group", ids.web_sg),
        ("network-acl", ids.acl),
        ("network-interface", ids.web_eni),
        ("instance", ids.web),
        ("instance", ids.db),
    ):
        response = client.post(
            f"/topologies/{t}/do/rename", data={"Kind": kind, "ResourceId": rid, "Name": HOSTILE}
        )
        assert response.status_code in (200, 303), response.text[:300]
    client.post(
        f"{api}/security-groups",
        json={"GroupName": HOSTILE, "Description": HOSTILE, "VpcId": ids.vpc},
    )
    client.post(
        f"{api}/network-interfaces",
        json={
            "SubnetId": ids.public,
            "Description": HOSTILE,
            "Tags": [{"Key": "Name", "Value": HOSTILE}],
        },
    )
    client.post(f"{api}/addresses", json={"Tags": [{"Key": "Name", "Value": HOSTILE}]})
    client.post(
        f"{api}/instances",
        json={
            "SubnetId": ids.public,
            "KeyName": HOSTILE,
            "Tags": [{"Key": "Name", "Value": HOSTILE}],
        },
    )
    second = client.post(f"{api}/vpcs", json={"CidrBlock": "10.8.0.0/16"}).json()["VpcId"]
    client.post(
        f"{api}/vpc-peering-connections",
        json={"VpcId": ids.vpc, "PeerVpcId": second, "Tags": [{"Key": "Name", "Value": HOSTILE}]},
    )
    client.post(
        f"/topologies/{t}/test",
        data={"source": ids.db, "destination": "internet", "preset": "https", "save": "1"},
    )

    export = client.get(f"{api}/export").json()
    instances = [i["InstanceId"] for r in export["Reservations"] for i in r["Instances"]]
    everything = every_resource_id(export)
    pages = ["/", f"/topologies/{t}", f"/topologies/{t}/delete", f"/topologies/{t}?test=1"]
    pages += [f"/topologies/{t}?select={rid}" for rid in everything]
    pages += [f"/topologies/{t}/instances/{i}" for i in instances]
    pages += [
        f"/topologies/{t}?create={k}"
        for k in ("subnet", "instance", "nat-gateway", "network-interface", "address")
    ]
    shown = 0
    for url in pages:
        for headers in ({}, HX):
            response = client.get(url, headers=headers)
            assert response.status_code == 200, url
            assert_inert(response.text, url)
            shown += "&lt;script&gt;" in response.text
    assert shown > len(pages)  # the hostile names are on the pages, as text

    traced = client.post(
        f"/topologies/{t}/test",
        data={"source": ids.web, "destination": ids.db, "preset": "ssh"},
        headers=HX,
    ).text
    assert_inert(traced, "a trace")
    assert "&lt;script&gt;" in traced

    refused = client.post(
        f"/topologies/{t}/do/create-vpc", data={"Name": HOSTILE, "CidrBlock": HOSTILE}, headers=HX
    ).text
    assert_inert(refused, "a refused form")
    assert "&lt;script&gt;" in refused  # what was typed is kept, as text
    rejected_test = client.post(
        f"/topologies/{t}/test",
        data={"source": HOSTILE, "destination": HOSTILE, "preset": "ssh"},
        headers=HX,
    ).text
    assert_inert(rejected_test, "a rejected test")
