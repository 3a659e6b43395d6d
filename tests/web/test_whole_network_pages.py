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


def test_the_exposure_page_names_specific_sources_and_reads_in_pages(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = seed_001(client)
    blocks = [f"198.51.100.{16 * n}/28" for n in range(8)][::2]  # 4 blocks, not contiguous
    blocks += ["203.0.113.7/32", "192.0.2.0/24", "100.128.0.0/9", "11.0.0.0/8"]
    client.post(
        f"/api/v1/topologies/{ids.topology}/security-groups/{ids.web_sg}/authorize-ingress",
        json={
            "IpPermissions": [
                {
                    "IpProtocol": "tcp",
                    "FromPort": 8443,
                    "ToPort": 8443,
                    "IpRanges": [{"CidrIp": b} for b in blocks],
                }
            ]
        },
    ).raise_for_status()
    page = wait_for(client, f"/topologies/{ids.topology}/exposure", "computed in")
    row = page.split("<code>TCP 8443</code>")[1].split("</tr>")[0]
    assert "any internet address" not in row and "and 2 more blocks" in row
    assert "<code>11.0.0.0/8</code>" in row
    ssh = page.split("<code>TCP 22</code>")[1].split("</tr>")[0]
    assert "any internet address" in ssh

    monkeypatch.setattr(pages, "EXPOSURE_ROWS", 1)
    capped = client.get(f"/topologies/{ids.topology}/exposure", headers=HX).text
    assert "and 2 more port ranges" in capped and "/exposure</code>" in capped


def test_the_exposure_page_shows_interfaces_a_page_at_a_time(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "EXPOSURE_PAGE", 1)
    topology = client.post(
        "/api/v1/topologies", json={"name": "two", "template": "seed-002-ssh"}
    ).json()["id"]
    first = wait_for(client, f"/topologies/{topology}/exposure", "computed in")
    assert "2 exposed interfaces" in first and "showing 1–1" in first and "page 1 of 2" in first
    assert f"/topologies/{topology}/exposure?page=2" in first
    second = client.get(f"/topologies/{topology}/exposure?page=2", headers=HX).text
    assert "showing 2–2" in second and f"/topologies/{topology}/exposure?page=1" in second
    names = [p.split("<h2>")[1].split("</h2>")[0] for p in (first, second)]
    assert names[0] != names[1]
