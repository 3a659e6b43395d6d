"""Rate limits count per signed-in user in classroom mode (students behind one school address
each have their own), per address otherwise."""

from __future__ import annotations

from starlette.requests import Request

from app.accounts.actor import LOCAL_OWNER, Actor
from app.throttle import requester


def request(actor: Actor | None, host: str = "10.0.0.1") -> Request:
    return Request(
        {"type": "http", "headers": [], "client": (host, 1234), "state": {"actor": actor}}
    )


def test_a_signed_in_user_is_their_own_requester() -> None:
    alice, bob = Actor(2, "student", "alice"), Actor(3, "student", "bob")
    assert requester(request(alice)) != requester(request(bob))
    assert requester(request(alice, "10.0.0.1")) == requester(request(alice, "10.0.0.2"))


def test_without_sign_in_the_requester_is_the_address() -> None:
    assert requester(request(None)) == "10.0.0.1"
    assert requester(request(LOCAL_OWNER, "10.0.0.2")) == "10.0.0.2"
