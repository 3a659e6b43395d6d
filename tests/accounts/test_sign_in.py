"""Classroom mode's sign-in: who gets in, the session cookie, signing out, changing a password."""

from __future__ import annotations

from http.cookies import SimpleCookie

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.accounts.identify import COOKIE
from app.db import tables
from tests.accounts.helpers import PASSWORD, Classroom, csrf_token_of, sign_in


def post_login(client: TestClient, login: str, password: str, next: str = "/") -> object:
    token = csrf_token_of(client.get("/login").text)
    return client.post(
        "/login",
        data={"login": login, "password": password, "next": next, "csrf_token": token},
        follow_redirects=False,
    )


def session_cookie_header(answer: object) -> str:
    headers = answer.headers.get_list("set-cookie")  # type: ignore[attr-defined]
    found = [h for h in headers if h.startswith(f"{COOKIE}=")]
    assert found, headers
    return found[0]


def test_a_page_without_sign_in_sends_to_the_login_page_and_back(classroom: Classroom) -> None:
    classroom.add_user("alice")
    browser = classroom.client()
    answer = browser.get("/topologies/abc?select=vpc-1", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/topologies/abc%3Fselect%3Dvpc-1"
    page = browser.get(answer.headers["location"])
    assert 'name="next" value="/topologies/abc?select=vpc-1"' in page.text
    signed = post_login(browser, "alice", PASSWORD, next="/topologies/abc?select=vpc-1")
    assert signed.status_code == 303
    assert signed.headers["location"] == "/topologies/abc?select=vpc-1"
    assert browser.get("/", follow_redirects=False).status_code == 200


def test_login_never_sends_to_another_site(classroom: Classroom) -> None:
    classroom.add_user("alice")
    answer = post_login(classroom.client(), "alice", PASSWORD, next="//evil.example/x")
    assert answer.headers["location"] == "/"


def test_htmx_without_sign_in_navigates_to_the_login_page(classroom: Classroom) -> None:
    answer = classroom.client().post(
        "/topologies",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/topologies/x"},
        follow_redirects=False,
    )
    assert answer.status_code == 401
    assert answer.headers["HX-Redirect"] == "/login?next=/topologies/x"


def test_the_api_answers_401_auth_failure_without_identity(classroom: Classroom) -> None:
    browser = classroom.client()
    answer = browser.get("/api/v1/topologies")
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "AuthFailure"
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    wrong = browser.get("/api/v1/topologies", headers={"Authorization": "Bearer vpclab_nope"})
    assert wrong.status_code == 401
    assert 'error="invalid_token"' in wrong.headers["WWW-Authenticate"]
    # What a signed-out browser and a script still reach.
    assert browser.get("/api/v1/health").status_code == 200
    assert browser.get("/static/css/lab.css").status_code == 200
    assert browser.get("/language/ja?next=/login", follow_redirects=False).status_code == 303


def test_a_signed_in_browser_reaches_the_api_with_its_cookie(classroom: Classroom) -> None:
    classroom.add_user("alice")
    alice = classroom.signed_in("alice")
    assert alice.get("/api/v1/topologies").status_code == 200


def test_a_wrong_password_and_an_unknown_login_answer_alike(classroom: Classroom) -> None:
    classroom.add_user("alice")
    wrong = post_login(classroom.client(), "alice", "not the password")
    unknown = post_login(classroom.client(), "nobody", "not the password")
    assert wrong.status_code == unknown.status_code == 400
    message = "That login and password do not match an account."
    assert message in wrong.text and message in unknown.text
    assert wrong.text.replace("alice", "X") == unknown.text.replace("nobody", "X").replace(
        csrf_token_of(unknown.text), csrf_token_of(wrong.text)
    )
    assert COOKIE not in str(wrong.headers.get_list("set-cookie"))


def test_the_session_cookie_is_httponly_lax_and_not_secure_by_default(
    classroom: Classroom,
) -> None:
    classroom.add_user("alice")
    header = session_cookie_header(post_login(classroom.client(), "alice", PASSWORD))
    jar: SimpleCookie = SimpleCookie()
    jar.load(header)
    morsel = jar[COOKIE]
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "lax"
    assert not morsel["secure"]
    assert morsel["path"] == "/"
    # The cookie holds a random id and its signature; the database only the id's hash.
    secret = morsel.value.rpartition(".")[0]
    with Session(classroom.store.engine) as session:
        stored = session.exec(select(tables.LoginSession)).all()
    assert len(stored) == 1
    assert secret not in stored[0].token_hash


def test_the_session_cookie_is_secure_behind_https(store, database_url) -> None:  # type: ignore[no-untyped-def]
    from app.main import create_app
    from tests.accounts.helpers import classroom_settings

    app = create_app(classroom_settings(database_url, secure_cookies=True), store=store)
    room = Classroom(app, store, TestClient(app))
    room.add_user("alice")
    with TestClient(app, base_url="https://testserver") as browser:
        first = browser.get("/login")
        csrf_cookie = next(h for h in first.headers.get_list("set-cookie") if "csrf" in h)
        header = session_cookie_header(post_login(browser, "alice", PASSWORD))
    assert "Secure" in header
    assert "Secure" in csrf_cookie


def test_a_forged_or_unknown_session_cookie_signs_nobody_in(classroom: Classroom) -> None:
    classroom.add_user("alice")
    alice = classroom.signed_in("alice")
    value = alice.cookies[COOKIE]
    secret, _, signature = value.rpartition(".")
    other = classroom.client()
    other.cookies.set(COOKIE, f"{secret}x.{signature}")
    assert other.get("/", follow_redirects=False).status_code == 303
    other.cookies.set(COOKIE, value)  # the very cookie: it is the session
    assert other.get("/", follow_redirects=False).status_code == 200


def test_signing_in_again_rotates_the_session(classroom: Classroom) -> None:
    classroom.add_user("alice")
    browser = classroom.client()
    sign_in(browser, "alice")
    first = browser.cookies[COOKIE]
    sign_in_again = post_login(browser, "alice", PASSWORD)
    assert sign_in_again.status_code == 303
    second = browser.cookies[COOKIE]
    assert second != first
    stale = classroom.client()
    stale.cookies.set(COOKIE, first)
    assert stale.get("/", follow_redirects=False).status_code == 303


def test_logout_ends_the_session_on_the_server(classroom: Classroom) -> None:
    classroom.add_user("alice")
    alice = classroom.signed_in("alice")
    cookie = alice.cookies[COOKIE]
    answer = alice.post("/logout", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    replay = classroom.client()
    replay.cookies.set(COOKIE, cookie)  # a copy of the cookie taken before signing out
    assert replay.get("/", follow_redirects=False).status_code == 303
    assert replay.get("/api/v1/topologies").status_code == 401


def test_logout_needs_the_csrf_token(classroom: Classroom) -> None:
    classroom.add_user("alice")
    alice = classroom.signed_in("alice")
    del alice.headers["X-CSRF-Token"]
    assert alice.post("/logout", follow_redirects=False).status_code == 403
    assert alice.get("/", follow_redirects=False).status_code == 200


def test_first_sign_in_requires_a_new_password(classroom: Classroom) -> None:
    classroom.add_user("alice", must_change_password=True)
    browser = classroom.client()
    answer = post_login(browser, "alice", PASSWORD)
    assert answer.headers["location"] == "/account/password"
    assert browser.get("/", follow_redirects=False).headers["location"] == "/account/password"
    page = browser.get("/account/password")
    assert "choose one only you know" in page.text
    token = csrf_token_of(page.text)
    browser.headers["X-CSRF-Token"] = token  # the new session's (a new CSRF secret came with it)
    changed = browser.post(
        "/account/password",
        data={
            "current": PASSWORD,
            "password": "a new one of mine",
            "confirm": "a new one of mine",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert changed.status_code == 303
    assert browser.get("/", follow_redirects=False).status_code == 200


def test_changing_the_password_signs_out_other_browsers(classroom: Classroom) -> None:
    classroom.add_user("alice")
    laptop = classroom.signed_in("alice")
    phone = classroom.signed_in("alice")
    page = laptop.get("/account/password")
    refused = laptop.post(
        "/account/password",
        data={
            "current": "wrong",
            "password": "x" * 9,
            "confirm": "x" * 9,
            "csrf_token": csrf_token_of(page.text),
        },
    )
    assert refused.status_code == 400
    assert phone.get("/", follow_redirects=False).status_code == 200
    changed = laptop.post(
        "/account/password",
        data={
            "current": PASSWORD,
            "password": "a new one of mine",
            "confirm": "a new one of mine",
            "csrf_token": csrf_token_of(page.text),
        },
        follow_redirects=False,
    )
    assert changed.status_code == 303
    assert phone.get("/", follow_redirects=False).status_code == 303
    assert laptop.get("/", follow_redirects=False).status_code == 200
    assert post_login(classroom.client(), "alice", PASSWORD).status_code == 400
    assert post_login(classroom.client(), "alice", "a new one of mine").status_code == 303


def test_the_header_says_who_is_signed_in(classroom: Classroom) -> None:
    classroom.add_user("alice", display_name="Alice Sato")
    page = classroom.signed_in("alice").get("/").text
    assert "Alice Sato" in page and 'action="/logout"' in page


def test_personal_mode_has_no_sign_in(client: TestClient) -> None:
    assert client.get("/", follow_redirects=False).status_code == 200
    assert client.get("/login", follow_redirects=False).status_code == 303
    assert 'action="/logout"' not in client.get("/").text
    assert client.get("/api/v1/topologies").status_code == 200
