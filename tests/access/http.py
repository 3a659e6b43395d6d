"""Clients of a classroom-mode lab, one per person of ``people.People``.

TEST-ONLY WAY TO SET THE ACTOR: sign-in is built on another branch (accounts-identity) at the
same time. Until it is merged, the app's ``Identify`` middleware is given a ``resolve`` that
reads the actor from a test header, ``X-Test-Actor: <login>``. It exists only here, in the
tests; the app has no such header. Once sign-in lands, swap ``resolve`` for real sessions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi.testclient import TestClient
from starlette.types import Scope

from app.accounts.actor import Actor
from app.accounts.identify import Identify
from app.config import Settings
from app.db.store import Store
from app.main import create_app
from tests.conftest import TEST_SECRET_KEY, csrf_token_of

from .people import People

TEST_ACTOR_HEADER = "X-Test-Actor"


@contextmanager
def classroom_clients(
    store: Store, database_url: str, people: People
) -> Iterator[dict[str, TestClient]]:
    """A client per login (alice, bob, teacher, stranger), each with its CSRF token, and
    ``nobody`` who is not signed in."""
    actors: dict[str, Actor] = {
        a.login: a for a in (people.alice, people.bob, people.teacher, people.stranger)
    }
    settings = Settings(
        mode="classroom",
        database_url=database_url,
        auto_migrate=False,
        max_body_bytes=2 * 1024 * 1024,
        analyses_per_minute=0,
        whole_network_per_minute=0,
        imports_per_minute=0,
        allowed_hosts=["testserver"],
        secret_key=TEST_SECRET_KEY,
    )
    app = create_app(settings, store=store)

    def resolve(scope: Scope) -> Actor | None:  # test-only, see the module's docstring
        sent = dict(scope.get("headers") or []).get(TEST_ACTOR_HEADER.lower().encode(), b"")
        return actors.get(sent.decode())

    [identify] = [m for m in app.user_middleware if m.cls is Identify]
    identify.kwargs["resolve"] = resolve
    # One client runs the app's lifespan (the job queue); the others share that app.
    with TestClient(app, raise_server_exceptions=False) as first:
        clients: dict[str, TestClient] = {}
        for login in [*actors, "nobody"]:
            client = first if not clients else TestClient(app, raise_server_exceptions=False)
            if login in actors:
                client.headers[TEST_ACTOR_HEADER] = login
                client.headers["X-CSRF-Token"] = csrf_token_of(client.get("/").text)
            clients[login] = client
        yield clients
