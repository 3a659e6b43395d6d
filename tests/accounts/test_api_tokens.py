"""Personal API tokens: created and shown once, kept hashed, acting as their user, revoked."""

from __future__ import annotations

import hashlib
import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.db import tables
from tests.accounts.helpers import Classroom, csrf_token_of


def create_token(browser: TestClient, name: str = "grading script") -> str:
    page = browser.post("/account/tokens", data={"name": name})
    assert page.status_code == 201, page.text
    found = re.search(r'<code class="secret" id="new-token">([^<]+)</code>', page.text)
    assert found, page.text
    return found.group(1)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_is_shown_once_and_kept_hashed(classroom: Classroom) -> None:
    classroom.add_user("alice")
    alice = classroom.signed_in("alice")
    token = create_token(alice)
    assert token.startswith("vpclab_") and len(token) > 40
    page = alice.get("/account").text
    assert token not in page  # listed by its name and first characters only
    assert "grading script" in page and token[:13] in page
    with Session(classroom.store.engine) as session:
        row = session.exec(select(tables.ApiToken)).one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (row.token_hash, row.prefix)


def test_a_token_acts_as_its_user(classroom: Classroom) -> None:
    classroom.add_user("alice", display_name="Alice Sato")
    classroom.add_user("bob", display_name="Bob Ito")
    alice = classroom.signed_in("alice")
    token = create_token(alice)
    assert "Never" in alice.get("/account").text
    script = TestClient(classroom.app)  # no cookie, no CSRF token: a script
    made = script.post("/api/v1/topologies", json={"name": "from a script"}, headers=bearer(token))
    assert made.status_code == 201, made.text
    # Who it acted as (which topologies alice sees is the ownership checks' business): the
    # page a token opens says so, and the token's "last used" moved.
    page = script.get("/", headers=bearer(token)).text
    assert "Alice Sato" in page and "Bob Ito" not in page
    row = alice.get("/account").text.split("grading script", 1)[1].split("</tr>", 1)[0]
    assert "Never" not in row and "UTC" in row


def test_a_revoked_token_is_refused(classroom: Classroom) -> None:
    classroom.add_user("alice")
    alice = classroom.signed_in("alice")
    token = create_token(alice)
    assert (
        TestClient(classroom.app).get("/api/v1/topologies", headers=bearer(token)).status_code
        == 200
    )
    with Session(classroom.store.engine) as session:
        token_id = session.exec(select(tables.ApiToken)).one().id
    confirm = alice.get(f"/account/tokens/{token_id}/revoke")
    assert "Revoke this token?" in confirm.text
    assert alice.get("/api/v1/topologies", headers=bearer(token)).status_code == 200  # not yet
    done = alice.post(f"/account/tokens/{token_id}/revoke", follow_redirects=False)
    assert done.status_code == 303
    answer = TestClient(classroom.app).get("/api/v1/topologies", headers=bearer(token))
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "AuthFailure"


def test_one_cannot_revoke_another_users_token(classroom: Classroom) -> None:
    classroom.add_user("alice")
    classroom.add_user("mallory")
    token = create_token(classroom.signed_in("alice"))
    with Session(classroom.store.engine) as session:
        token_id = session.exec(select(tables.ApiToken)).one().id
    mallory = classroom.signed_in("mallory")
    assert "Revoke this token?" not in mallory.get(f"/account/tokens/{token_id}/revoke").text
    mallory.post(f"/account/tokens/{token_id}/revoke")
    assert (
        TestClient(classroom.app).get("/api/v1/topologies", headers=bearer(token)).status_code
        == 200
    )


def test_a_bad_token_is_refused_even_beside_a_good_cookie(classroom: Classroom) -> None:
    classroom.add_user("alice")
    alice = classroom.signed_in("alice")
    assert alice.get("/api/v1/topologies").status_code == 200
    assert alice.get("/api/v1/topologies", headers=bearer("vpclab_forged")).status_code == 401
    assert (
        alice.get("/api/v1/topologies", headers={"Authorization": "Basic eDp5"}).status_code == 401
    )


def test_a_token_request_from_another_site_is_not_refused_but_a_cookie_one_is(
    classroom: Classroom,
) -> None:
    classroom.add_user("alice")
    alice = classroom.signed_in("alice")
    token = create_token(alice)
    other_site = {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
    with_cookie = alice.post("/api/v1/topologies", json={"name": "x"}, headers=other_site)
    assert with_cookie.status_code == 403
    assert with_cookie.json()["error"]["code"] == "UnauthorizedOperation"
    with_token = TestClient(classroom.app).post(
        "/api/v1/topologies", json={"name": "x"}, headers={**other_site, **bearer(token)}
    )
    assert with_token.status_code == 201


def test_a_token_cannot_sign_in_pages(classroom: Classroom) -> None:
    classroom.add_user("alice")
    token = create_token(classroom.signed_in("alice"))
    page = TestClient(classroom.app).get("/", headers=bearer(token), follow_redirects=False)
    # A token is for scripts; a page it opens still works as its user (no cookie involved),
    # but it cannot change anything there without a page's CSRF token.
    assert page.status_code == 200
    refused = TestClient(classroom.app).post(
        "/topologies", data={"name": "x"}, headers=bearer(token), follow_redirects=False
    )
    assert refused.status_code == 403


def test_the_token_needs_a_name(classroom: Classroom) -> None:
    classroom.add_user("alice")
    alice = classroom.signed_in("alice")
    answer = alice.post("/account/tokens", data={"name": "  "})
    assert answer.status_code == 400
    assert "Name the token" in answer.text


def test_personal_mode_documents_no_token(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "securitySchemes" not in spec.get("components", {})
    assert "security" not in spec["paths"]["/api/v1/topologies"]["get"]


def test_personal_mode_ignores_tokens(client: TestClient) -> None:
    """Personal mode has no accounts to act as: every request is the local owner's, with a
    token or without one, valid or not; there is no token page."""
    for headers in ({}, bearer("vpclab_anything"), {"Authorization": "Basic eDp5"}):
        assert client.get("/api/v1/topologies", headers=headers).status_code == 200
    assert (
        client.post(
            "/api/v1/topologies", json={"name": "x"}, headers=bearer("vpclab_anything")
        ).status_code
        == 201
    )
    assert client.get("/account", follow_redirects=False).status_code == 303
    # And another site's page may not use a token header to slip past the cross-site guard.
    refused = client.post(
        "/api/v1/topologies",
        json={"name": "x"},
        headers={**bearer("vpclab_x"), "Origin": "https://evil.example"},
    )
    assert refused.status_code == 403


def test_the_openapi_document_names_the_bearer_scheme(classroom: Classroom) -> None:
    token = None
    classroom.add_user("alice")
    token = create_token(classroom.signed_in("alice"))
    spec = TestClient(classroom.app).get("/openapi.json", headers=bearer(token)).json()
    scheme = spec["components"]["securitySchemes"]["PersonalApiToken"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    assert spec["paths"]["/api/v1/topologies"]["get"]["security"] == [{"PersonalApiToken": []}]
    assert "security" not in spec["paths"]["/api/v1/health"]["get"]


def test_the_token_form_needs_the_csrf_token(classroom: Classroom) -> None:
    classroom.add_user("alice")
    alice = classroom.signed_in("alice")
    token = csrf_token_of(alice.get("/account").text)
    del alice.headers["X-CSRF-Token"]
    assert alice.post("/account/tokens", data={"name": "x"}).status_code == 403
    assert alice.post("/account/tokens", data={"name": "x", "csrf_token": token}).status_code == 201
