"""A signed-in user's language is their account's: it follows them to any computer."""

from __future__ import annotations

from tests.accounts.helpers import Classroom, sign_in


def test_the_account_language_wins_over_the_browser(classroom: Classroom) -> None:
    classroom.add_user("alice")
    alice = classroom.signed_in("alice")
    assert alice.post("/account/language", data={"language": "ja"}).status_code == 200
    # Another computer, an English browser, no language cookie: still Japanese once signed in.
    other = classroom.client()
    other.headers["Accept-Language"] = "en"
    assert '<html lang="en">' in other.get("/login").text
    sign_in(other, "alice")
    other.cookies.delete("vpclab_lang")
    assert '<html lang="ja">' in other.get("/").text


def test_following_the_browser_again(classroom: Classroom) -> None:
    classroom.add_user("alice")
    alice = classroom.signed_in("alice")
    alice.post("/account/language", data={"language": "ja"})
    alice.post("/account/language", data={"language": ""})
    alice.cookies.delete("vpclab_lang")
    alice.headers["Accept-Language"] = "en"
    assert '<html lang="en">' in alice.get("/").text


def test_the_language_switch_saves_the_account_language(classroom: Classroom) -> None:
    classroom.add_user("alice")
    alice = classroom.signed_in("alice")
    alice.get("/language/ja?next=/")
    account = classroom.accounts.find("alice")
    assert account is not None and account.language == "ja"
