"""Classroom mode's ``resolve`` for ``Identify``: the user of the session cookie or API token."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from starlette.types import Scope

from app.config import Settings
from app.server_secret import server_secret

from .actor import Actor
from .identify import COOKIE, SessionCookie, bearer_token, cookie
from .store import Accounts


def session_cookie(settings: Settings) -> SessionCookie:
    return SessionCookie(cache(lambda: server_secret(settings)))


def accounts_of(scope: Scope) -> Accounts:
    state = scope["app"].state
    accounts: Accounts | None = getattr(state, "accounts", None)
    if accounts is None:
        settings: Settings = state.settings
        accounts = Accounts(state.store.engine, session_hours=settings.session_hours)
        state.accounts = accounts
    return accounts


def resolver(cookies: SessionCookie) -> Callable[[Scope], Actor | None]:
    def resolve(scope: Scope) -> Actor | None:
        state = scope.setdefault("state", {})
        token = bearer_token(scope)
        if token is not None:
            who = accounts_of(scope).token_user(token) if token else None
            state["by_token"] = who is not None
        else:
            value = cookie(scope, COOKIE)
            secret = cookies.secret_in(value) if value else None
            who = accounts_of(scope).session_user(secret) if secret else None
            if who is not None:
                state["session"] = secret
                state["must_change_password"] = who.must_change_password
        if who is None:
            return None
        state["display_name"] = who.display_name
        state["account_language"] = who.language
        return who.actor

    return resolve
