"""The exposure and matrix pages: progress while running, then the answer, with links."""

import time

from fastapi.testclient import TestClient

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
