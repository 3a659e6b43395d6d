"""Per-view work stays small: long select boxes and the diagram are written once per revision,
and what a learner sees and chooses is the same as when every view wrote them afresh."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from app.web.cache import Lru
from app.web.workspace import Choices

from .lab import HX, seed_001


def selected_in(html: str, select_id: str) -> list[str]:
    found = re.search(rf'<select id="{select_id}".*?</select>', html, re.S)
    assert found, f"no select #{select_id}"
    return re.findall(r'<option value="([^"]*)"\s*selected', found.group(0))


def test_a_refused_form_keeps_the_chosen_subnet_and_groups_selected(client: TestClient) -> None:
    """Subnets and groups come from text written once per revision; a refusal still shows the
    learner's own choices (one subnet, two groups) selected."""
    ids = seed_001(client)
    page = client.post(
        f"/topologies/{ids.topology}/do/create-eni",
        data={
            "SubnetId": ids.private,
            "PrivateIpAddress": "10.9.9.9",  # outside the subnet: refused
            "Groups": [ids.web_sg, ids.default_sg],
            "_create": "network-interface",
        },
        headers=HX,
    )
    assert page.status_code == 400
    assert selected_in(page.text, "create-eni-SubnetId") == [ids.private]
    assert sorted(selected_in(page.text, "create-eni-Groups")) == sorted(
        [ids.web_sg, ids.default_sg]
    )


def test_the_test_form_marks_the_chosen_ends_and_nothing_else(client: TestClient) -> None:
    ids = seed_001(client)
    page = client.post(
        f"/topologies/{ids.topology}/test",
        data={"source": ids.web, "destination": ids.db, "preset": "mysql"},
        headers=HX,
    ).text
    assert selected_in(page, "test-source") == [ids.web]
    assert selected_in(page, "test-destination") == [ids.db]
    again = client.get(f"/topologies/{ids.topology}").text  # the same options, none chosen
    assert selected_in(again, "test-source") == ["internet"]
    assert selected_in(again, "test-destination") == []


def test_options_before_a_long_list_keep_their_own_choice() -> None:
    groups = Choices([("sg-1", "web <1>"), ("sg-2", "db")])
    joined = [("0.0.0.0/0", "Anywhere")] + groups  # noqa: RUF005 (as the template writes it)
    assert list(joined) == [("0.0.0.0/0", "Anywhere"), ("sg-1", "web <1>"), ("sg-2", "db")]
    assert joined.html("sg-2") == (
        '<option value="0.0.0.0/0">Anywhere</option><option value="sg-1">web &lt;1&gt;</option>'
        '<option value="sg-2" selected>db</option>'
    )
    assert "selected" not in groups.html("sg-9") and "selected" not in groups.html(None)


def test_without_javascript_every_resource_in_the_diagram_is_a_link_to_its_editor(
    client: TestClient,
) -> None:
    """With JavaScript, one listener (static/diagram.js) opens the editor in place; without
    it, the links are plain links to the page with the resource selected."""
    ids = seed_001(client)
    page = client.get(f"/topologies/{ids.topology}").text
    svg = page[page.index('<svg class="diagram"') : page.index("</svg>")]
    for rid in (ids.vpc, ids.public, ids.web, ids.nat, ids.web_sg, ids.public_rt):
        assert f'href="/topologies/{ids.topology}?select={rid}"' in svg, rid
        editor = client.get(f"/topologies/{ids.topology}?select={rid}").text
        assert 'id="editor"' in editor and rid in editor
    assert '<script src="/static/diagram.js" defer></script>' in page
    assert client.get("/static/diagram.js").status_code == 200


def test_page_caches_keep_values_by_size_and_the_newest_even_alone() -> None:
    cache: Lru[str] = Lru(10, len)
    computed: list[str] = []

    def value(text: str) -> str:
        return cache.get(text, lambda: computed.append(text) or text)

    for text in ("aaaa", "bbbb"):
        value(text)
    value("aaaa")  # used again: "bbbb" is now the least recently used
    value("cc")  # 4 + 4 + 2: all fit
    value("ddd")  # 13 > 10: "bbbb" goes
    value("aaaa")
    value("bbbb")
    assert computed == ["aaaa", "bbbb", "cc", "ddd", "bbbb"]
    value("x" * 50)  # larger than the whole budget: kept while it is the newest
    assert computed[-1] == "x" * 50 and len(computed) == 6
    value("x" * 50)
    assert len(computed) == 6
