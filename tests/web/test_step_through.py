"""Step through a trace without JavaScript: every step is a page of its own, reached by plain
links. Seed 002's ping from the internet is blocked at the security group: the steps before
say what each component did and which rule decided, the group's step shows its whole rule list
and "no rule matched → default deny", and the steps after it say what *would* happen."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from app import i18n

from .test_no_english_left_in_japanese import english_words, names_typed

ADDRESSES: dict[str, tuple[str, str]] = {}  # instance id: (public, private) address


def seed_002_ping(client: TestClient, *, save: bool) -> tuple[str, str, str]:
    """(topology id, instance id, the workspace page after the test)."""
    topology = client.post(
        "/api/v1/topologies", json={"name": "ping from home", "template": "seed-002-ssh"}
    ).json()["id"]
    reservations = client.get(f"/api/v1/topologies/{topology}/instances").json()["Reservations"]
    first = reservations[0]["Instances"][0]
    instance = first["InstanceId"]
    ADDRESSES[instance] = (first["PublicIpAddress"], first["PrivateIpAddress"])
    data = {"source": "internet", "destination": instance, "preset": "ping"}
    if save:
        data["save"] = "1"
    page = client.post(f"/topologies/{topology}/test", data=data).text
    return topology, instance, page


def step_link(page: str) -> str:
    found = re.search(r'<a class="btn btn-secondary" href="([^"]+/step/1[^"]*)"', page)
    assert found, "the trace offers no step-through"
    return found.group(1).replace("&amp;", "&")


def rel(page: str, name: str) -> str:
    found = re.search(rf'rel="{name}" href="([^"]+)"', page)
    assert found, f"no {name} link"
    return found.group(1).replace("&amp;", "&")


def current_box(page: str) -> str:
    """The data-id of the diagram box marked as the step's component (the packet drawn on it)."""
    found = re.findall(
        r'class="[^"]*\bstep-current\b[^"]*" data-id="([^"]+)"[^>]*>\s*<rect [^>]*/>'
        r'<circle class="step-packet"',
        page,
    )
    assert len(found) == 1, found
    assert page.count('class="step-packet"') == 1
    return found[0]


def matched_rows(page: str) -> list[str]:
    rows = re.findall(r'<tr class="[^"]*\bmatched\b[^"]*">(.*?)</tr>', page, re.S)
    return [" ".join(re.findall(r"<code>([^<]*)</code>", row)) for row in rows]


def header(page: str, name: str) -> tuple[str, str, bool]:
    row = re.search(rf'<tr class="(changed)?" data-field="{name}">(.*?)</tr>', page, re.S)
    assert row, name
    before, after = re.findall(r"<code>([^<]*)</code>", row.group(2))
    return before, after, row.group(1) == "changed"


def ids(client: TestClient, topology: str) -> dict[str, Any]:
    api = f"/api/v1/topologies/{topology}"
    return {
        "igw": client.get(f"{api}/internet-gateways").json()["InternetGateways"][0][
            "InternetGatewayId"
        ],
        "acl": client.get(f"{api}/network-acls").json()["NetworkAcls"][0]["NetworkAclId"],
        "sg": next(
            g["GroupId"]
            for g in client.get(f"{api}/security-groups").json()["SecurityGroups"]
            if g["GroupName"] == "ssh"
        ),
    }


def test_a_blocked_ping_stepped_forward_and_back_through_plain_links(client: TestClient) -> None:
    topology, instance, page = seed_002_ping(client, save=True)
    rid = ids(client, topology)
    first = client.get(step_link(page))
    assert first.status_code == 200
    one = first.text
    assert "Hop 1 of " in one and "the request" in one
    assert 'rel="prev"' not in one  # nothing before the first step
    # 1: the internet gateway translates the Elastic IP to the private address.
    assert current_box(one) == rid["igw"]
    public, private = ADDRESSES[instance]
    assert header(one, "destination_ip") == (public, private, True)
    assert header(one, "source_ip") == ("203.0.113.5", "203.0.113.5", False)

    # 2: the network ACL allows it by entry 100; both directions listed, inbound applies.
    two = client.get(rel(one, "next")).text
    assert "Hop 2 of " in two
    assert current_box(two) == rid["acl"]
    assert matched_rows(two) == ["100 ALL ALL 0.0.0.0/0 ALLOW"]
    assert "Inbound entries of" in two and "Outbound entries of" in two
    assert header(two, "destination_ip") == (private, private, False)

    # 3: the security group has no rule for ICMP: its rules are listed, none decided.
    three = client.get(rel(two, "next")).text
    assert current_box(three) == rid["sg"]
    assert matched_rows(three) == []
    assert "No rule matched → default deny." in three
    assert "Inbound rules of " + rid["sg"] in three
    assert re.search(r"<code>[^<]*22[^<]*</code>", three)  # the SSH rule that is there
    assert ">blocked<" in three
    assert "Add an inbound rule to " + rid["sg"] in three.split("Fix:")[1]

    # 4: after the block, the interface would receive the packet: never "delivered".
    four = client.get(rel(three, "next")).text
    assert "would be forwarded" in four and "would receive" in four
    assert "the packet does not get here now" in four
    assert current_box(four) == instance  # an interface is drawn inside its instance

    # Back again, the same step as before.
    again = client.get(rel(four, "prev")).text
    assert current_box(again) == rid["sg"] and "No rule matched → default deny." in again

    # The end is the reply's last hop; the event list jumps anywhere.
    last = client.get(rel(one, "last")).text
    assert 'rel="next"' not in last and "the reply" in last
    total = int(re.search(r"Hop (\d+) of \1\b", last).group(1))  # type: ignore[union-attr]
    assert total >= 8
    assert len(re.findall(r'<li class="step-event', last)) == total


def test_a_test_not_saved_steps_through_from_its_address(client: TestClient) -> None:
    _topology, _instance, page = seed_002_ping(client, save=False)
    link = step_link(page)
    assert "/analyses/" not in link and "preset=ping" in link
    step = client.get(link.replace("/step/1", "/step/3")).text
    assert "Hop 3 of " in step and "No rule matched → default deny." in step
    assert client.get(link.replace("/step/1", "/step/99")).status_code == 400


def test_the_steps_in_japanese(client: TestClient) -> None:
    client.cookies.set(i18n.COOKIE, "ja")
    _topology, _instance, page = seed_002_ping(client, save=True)
    base = step_link(page)[: -len("/1")]
    names = names_typed(client)
    pages = {n: client.get(f"{base}/{n}").text for n in (1, 2, 3, 4, 9)}
    assert "ホップ 3 / " in pages[3] and "一致するルールなし → デフォルトで拒否。" in pages[3]
    assert "修正後は" in pages[4] and "今はパケットはここに届きません" in pages[4]
    left = {n: found for n, html in pages.items() if (found := english_words(html, names))}
    assert left == {}


def test_ssh_from_home_marks_the_security_group_rule_that_allowed_it(client: TestClient) -> None:
    topology, instance, _page = seed_002_ping(client, save=False)
    test = {"source": "internet", "destination": instance, "preset": "ssh", "save": "1"}
    page = client.post(f"/topologies/{topology}/test", data=test).text
    step = client.get(step_link(page).replace("/step/1", "/step/3")).text
    assert current_box(step) == ids(client, topology)["sg"]
    (rule,) = matched_rows(step)
    assert "22" in rule and "default deny" not in step


def test_the_reply_s_route_table_step_lists_its_routes_and_marks_the_one_used(
    client: TestClient,
) -> None:
    topology, _instance, page = seed_002_ping(client, save=True)
    steps = step_link(page)[: -len("/1")]
    last = client.get(f"{steps}/1").text
    numbers = re.findall(
        r'<a href="[^"]+/step/(\d+)"[^>]*>\s*<span class="n">\d+</span>\s*'
        r'<span class="what">Route table</span>',
        last,
    )
    assert numbers, "the reply passes no route table"
    step = client.get(f"{steps}/{numbers[0]}").text
    igw = ids(client, topology)["igw"]
    assert "would be forwarded" in step and "Routes of rtb-" in step
    assert matched_rows(step) == [f"0.0.0.0/0 {igw} active"]
    assert "192.168.0.0/16" in step  # the local route is listed too, not marked


def test_a_saved_test_of_an_older_revision_says_its_rule_lists_are_the_lab_s_now(
    client: TestClient,
) -> None:
    topology, _instance, page = seed_002_ping(client, save=True)
    sg = ids(client, topology)["sg"]
    ping = {
        "IpProtocol": "icmp",
        "FromPort": -1,
        "ToPort": -1,
        "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
    }
    answer = client.post(
        f"/api/v1/topologies/{topology}/security-groups/{sg}/authorize-ingress",
        json={"IpPermissions": [ping]},
    )
    assert answer.status_code < 300, answer.text
    step = client.get(step_link(page).replace("/step/1", "/step/3")).text
    assert "This test was saved at revision" in step  # the hop says blocked, as it was then
    assert ">blocked<" in step


def test_hostile_names_render_as_text_on_a_step(client: TestClient) -> None:
    hostile = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>"
    topology, instance, _page = seed_002_ping(client, save=False)
    client.patch(f"/api/v1/topologies/{topology}", json={"name": hostile[:100]})
    client.post(
        f"/topologies/{topology}/do/rename",
        data={"Kind": "instance", "ResourceId": instance, "Name": hostile[:100]},
    )
    page = client.post(
        f"/topologies/{topology}/test",
        data={"source": "internet", "destination": instance, "preset": "ping", "save": "1"},
    ).text
    for n in (1, 3, 5):
        html = client.get(step_link(page).replace("/step/1", f"/step/{n}")).text
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert" in html  # the name is there, as text
