"""The exposure and matrix pages: progress while running, then the answer, with links."""

import time

import pytest
from fastapi.testclient import TestClient

from app.web import pages

from .lab import HX, seed_001


def wait_for(client: TestClient, url: str, done: str) -> str:
    for _ in range(100):
        page = client.get(url, headers=HX).text
        if done in page:
            return page
        assert "progress" in page  # still computing: progress is shown, and polled
        time.sleep(0.05)
    raise AssertionError(f"{url} never finished")


def test_the_exposure_page_lists_the_exposed_interface_with_its_chain(client: TestClient) -> None:
    ids = seed_001(client)
    page = wait_for(client, f"/topologies/{ids.topology}/exposure", "computed in")
    assert "1 exposed interface" in page
    assert "SSH TCP 22 0.0.0.0/0" in page and "TCP 80" in page
    assert f"?select={ids.web}" in page
    assert client.get(f"/topologies/{ids.topology}/exposure").text.count("<html") == 1


def test_the_matrix_page_shows_a_grid_whose_cells_open_the_trace(client: TestClient) -> None:
    ids = seed_001(client)
    page = wait_for(client, f"/topologies/{ids.topology}/matrix?preset=mysql", "pairs reachable")
    assert "2 of 2 pairs reachable" in page
    assert page.count('class="pass"') == 2
    link = page.split('href="/topologies/')[1].split('"')[0].replace("&amp;", "&")
    trace = client.get(f"/topologies/{link}").text
    assert "✔ Reachable" in trace and "MySQL" in trace


def test_a_matrix_of_several_ports_marks_pairs_open_on_some_of_them(client: TestClient) -> None:
    ids = seed_001(client)
    # The web server keeps only its "web" group: SSH and HTTP from anywhere, nothing else.
    client.post(
        f"/api/v1/topologies/{ids.topology}/network-interfaces/{ids.web_eni}/modify-attribute",
        json={"Groups": [ids.web_sg]},
    )
    url = f"/topologies/{ids.topology}/matrix?preset=custom-tcp&port=22,80,8080"
    page = wait_for(client, url, "pairs reachable")
    assert "TCP 22, 80, 8080" in page and "0 of 2 pairs reachable on every port" in page
    assert page.count('class="partial"') == 1  # db-server to web-server
    assert 'aria-label="db-server to web-server: reachable on 22, 80; not on 8080"' in page
    partial = page.split('class="partial"><a href="/topologies/')[1].split('"')[0]
    trace = client.get(f"/topologies/{partial.replace('&amp;', '&')}").text
    assert "port=8080" in partial and "✘ Not reachable" in trace
    refused = client.get(
        f"/topologies/{ids.topology}/matrix?preset=custom-tcp&port=22,http", headers=HX
    ).text
    assert "InvalidParameterValue" in refused and "&#39;http&#39; is not a port" in refused
    assert "progress" not in refused


def test_past_the_grid_limit_the_page_computes_one_source_row(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "GRID_LIMIT", 1)  # seed 001's two instances count as many
    ids = seed_001(client)
    url = f"/topologies/{ids.topology}/matrix?preset=ssh"
    picker = client.get(url, headers=HX).text
    assert "choose a source" in picker and "progress" not in picker and "<table" not in picker
    page = wait_for(client, f"{url}&source={ids.web}", "pairs reachable")
    assert "from web-server to 1 instances" in page and "1 of 1 pairs reachable" in page
    assert f'<option value="{ids.web}" selected>' in page and "<table" not in page
    link = page.split('class="pass"><a href="/topologies/')[1].split('"')[0].replace("&amp;", "&")
    assert f"source={ids.web}" in link and f"destination={ids.db}" in link
