"""CSRF: a change to the pages needs the token of a page of this lab, in the form or (htmx) in a
header; without it the answer is a 403 page and nothing is written."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from tests.conftest import csrf_token_of

from .lab import HX, seed_001


@pytest.fixture
def browser(client: TestClient) -> TestClient:
    """The client as a browser is: the cookie from the first page, no token sent by itself."""
    del client.headers["X-CSRF-Token"]
    return client


def topology_names(client: TestClient) -> list[str]:
    return [t["name"] for t in client.get("/api/v1/topologies").json()["topologies"]]


def vpc_count(client: TestClient, topology: str) -> int:
    return len(client.get(f"/api/v1/topologies/{topology}/vpcs").json()["Vpcs"])


def test_a_form_without_the_token_is_refused_with_a_page_and_writes_nothing(
    browser: TestClient,
) -> None:
    response = browser.post("/topologies", data={"name": "Forged", "template": "blank"})
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "The form was not sent" in response.text and "nothing was changed" in response.text
    assert 'href="/"' in response.text
    assert "Forged" not in topology_names(browser)


def test_a_wrong_token_is_refused_and_writes_nothing(browser: TestClient) -> None:
    ids = seed_001(browser)
    before = vpc_count(browser, ids.topology)
    response = browser.post(
        f"/topologies/{ids.topology}/do/create-vpc",
        data={"csrf_token": "0" * 64, "CidrBlock": "10.9.0.0/16"},
    )
    assert response.status_code == 403
    assert f'href="/topologies/{ids.topology}"' in response.text  # back to the workspace
    assert vpc_count(browser, ids.topology) == before
    deleted = browser.post(f"/topologies/{ids.topology}/delete", data={"csrf_token": "x"})
    assert deleted.status_code == 403 and ids.topology in str(
        browser.get("/api/v1/topologies").json()
    )


def test_the_token_of_the_page_in_the_form_makes_the_change(browser: TestClient) -> None:
    page = browser.get("/")
    response = browser.post(
        "/topologies",
        data={"csrf_token": csrf_token_of(page.text), "name": "Week 1", "template": "blank"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "Week 1" in topology_names(browser)


def test_an_upload_carries_its_token_in_the_multipart_form(browser: TestClient) -> None:
    bundle = json.dumps({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]})
    upload = {"bundle": ("lab.json", bundle, "application/json")}
    refused = browser.post("/topologies/import", data={"name": "Forged"}, files=upload)
    assert refused.status_code == 403 and "Forged" not in topology_names(browser)
    token = csrf_token_of(browser.get("/").text)
    accepted = browser.post(
        "/topologies/import",
        data={"name": "Uploaded", "csrf_token": token},
        files=upload,
        follow_redirects=False,
    )
    assert accepted.status_code == 303 and "Uploaded" in topology_names(browser)


def test_htmx_sends_the_token_as_the_header_body_declares(browser: TestClient) -> None:
    ids = seed_001(browser)
    page = browser.get(f"/topologies/{ids.topology}").text
    declared = re.search(r"<body hx-headers='([^']+)'", page)
    assert declared, "<body> hands htmx no header"
    headers = {**HX, **json.loads(declared.group(1))}
    before = vpc_count(browser, ids.topology)
    done = browser.post(
        f"/topologies/{ids.topology}/do/create-vpc",
        data={"CidrBlock": "10.9.0.0/16"},
        headers=headers,
    )
    assert done.status_code == 200 and "Done: create vpc." in done.text
    assert vpc_count(browser, ids.topology) == before + 1
    refused = browser.post(
        f"/topologies/{ids.topology}/do/create-vpc",
        data={"CidrBlock": "10.8.0.0/16"},
        headers={**HX, "X-CSRF-Token": "forged"},
    )
    assert refused.status_code == 403 and "The form was not sent" in refused.text
    assert vpc_count(browser, ids.topology) == before + 1


def test_a_token_is_worth_nothing_with_another_browsers_cookie(browser: TestClient) -> None:
    token = csrf_token_of(browser.get("/").text)
    browser.cookies.clear()  # another browser: no cookie, or one this server never signed
    browser.cookies.set("vpclab_csrf", "made-up.0000")
    response = browser.post(
        "/topologies", data={"csrf_token": token, "name": "Forged", "template": "blank"}
    )
    assert response.status_code == 403 and "Forged" not in topology_names(browser)


def test_the_cookie_is_http_only_and_same_site_lax(browser: TestClient) -> None:
    browser.cookies.clear()
    set_cookie = browser.get("/").headers["set-cookie"]
    assert set_cookie.startswith("vpclab_csrf=")
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie and "Path=/" in set_cookie
    assert "set-cookie" not in browser.get("/").headers  # kept once set


def test_every_post_form_of_the_pages_carries_the_token(client: TestClient) -> None:
    ids = seed_001(client)
    token = client.headers["X-CSRF-Token"]
    pages = [
        "/",
        f"/topologies/{ids.topology}/delete",
        f"/topologies/{ids.topology}",
        *(f"/topologies/{ids.topology}?select={rid}" for rid in (ids.vpc, ids.web, ids.acl)),
    ]
    for url in pages:
        html = client.get(url).text
        forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", html, re.S)
        assert forms, url
        for form in forms:
            assert f'name="csrf_token" value="{token}"' in form, (url, form[:200])
