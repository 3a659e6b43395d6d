"""Signing in and out, changing one's password, one's settings (classroom mode).

Every form is a plain POST carrying the CSRF token (``app.web.csrf``). Handlers are plain
``def``: an Argon2 hash is tens of milliseconds of CPU, done in the thread pool.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app import i18n
from app.accounts.actor import Actor, actor_of
from app.accounts.identify import COOKIE, SessionCookie
from app.accounts.resolver import accounts_of
from app.accounts.store import Accounts, Refused, check_new_password, normalize_login
from app.config import Settings
from app.throttle import TooManyRequests

from .csrf import COOKIE as CSRF_COOKIE
from .language import N_, local_path
from .pages import FormValues
from .render import render

router = APIRouter(include_in_schema=False)

WRONG = N_("That login and password do not match an account. Check both and try again.")
TOO_MANY = N_(
    "Too many failed sign-ins. For your account's safety, wait %(seconds)d seconds and try "
    "again. If you forgot your password, ask your instructor to reset it."
)


def settings_of(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def accounts(request: Request) -> Accounts:
    return accounts_of(request.scope)


def _cookies(request: Request) -> SessionCookie:
    return request.app.state.session_cookie  # type: ignore[no-any-return]


def classroom(request: Request) -> bool:
    return settings_of(request).mode == "classroom"


def signed_in(request: Request) -> Actor | None:
    actor = actor_of(request)
    return actor if actor is not None and actor.role != "owner" else None


def see_other(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


def start_session(request: Request, response: Response, account_id: int) -> None:
    """Sign this browser in with a new login session (a new random id every time: a session id
    set before signing in is never promoted), ending the one it had."""
    old = request.scope.get("state", {}).get("session")
    if old:
        accounts(request).end_session(old)
    secret = accounts(request).start_session(account_id)
    settings = settings_of(request)
    response.set_cookie(
        COOKIE,
        _cookies(request).value(secret),
        max_age=int(settings.session_hours * 3600),
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    # A new CSRF secret with the new session: the next page sets it.
    response.delete_cookie(CSRF_COOKIE, path="/", httponly=True, samesite="lax")


def end_session_cookie(request: Request, response: Response) -> None:
    settings = settings_of(request)
    response.delete_cookie(
        COOKIE, path="/", httponly=True, samesite="lax", secure=settings.secure_cookies
    )


# ---- sign in ------------------------------------------------------------------------------------
def login_page(
    request: Request,
    *,
    next: str = "/",
    login: str = "",
    error: str = "",
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    response = render(
        request,
        "login.html",
        {"next": local_path(next), "login": login, "error": error},
        status_code=status,
    )
    response.headers.update(headers or {})
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> Response:
    if not classroom(request):
        return see_other(local_path(next))  # personal mode: nobody signs in
    if signed_in(request):
        return see_other(local_path(next))
    return login_page(request, next=next)


def _throttled(request: Request, login: str, *, count: bool) -> None:
    limits = request.app.state.rate_limits
    client = request.client.host if request.client else "unknown"
    limits.take("login-account", normalize_login(login)[:64], count=count)
    limits.take("login-address", client, count=count)


def too_many(request: Request, error: TooManyRequests, **page: Any) -> HTMLResponse:
    message = i18n.gettext(TOO_MANY) % {"seconds": error.retry_after}
    return login_page(
        request,
        error=message,
        status=429,
        headers={"Retry-After": str(error.retry_after)},
        **page,
    )


@router.post("/login")
def login(request: Request, values: FormValues) -> Response:
    if not classroom(request):
        return see_other("/")
    login = str(values.get("login", ""))[:200]
    password = str(values.get("password", ""))
    next = local_path(str(values.get("next", "/")))
    try:
        _throttled(request, login, count=False)
        account = accounts(request).authenticate(login, password)
        if account is None:
            _throttled(request, login, count=True)
    except TooManyRequests as error:
        return too_many(request, error, next=next, login=login)
    if account is None or account.id is None:
        return login_page(request, next=next, login=login, error=i18n.gettext(WRONG), status=400)
    response = see_other(next if not account.must_change_password else "/account/password")
    start_session(request, response, account.id)
    if account.language:
        response.set_cookie(i18n.COOKIE, account.language, samesite="lax", httponly=True)
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    session = request.scope.get("state", {}).get("session")
    if session:
        accounts(request).end_session(session)
    response = see_other("/login" if classroom(request) else "/")
    end_session_cookie(request, response)
    return response


# ---- change password ----------------------------------------------------------------------------
def password_page(
    request: Request, *, error: Refused | None = None, status: int = 200
) -> HTMLResponse:
    state = request.scope.get("state", {})
    return render(
        request,
        "password.html",
        {
            "required": bool(state.get("must_change_password")),
            "error": _say(error),
            "error_field": error.field if error else "",
        },
        status_code=status,
    )


def _say(error: Refused | None) -> str:
    if error is None:
        return ""
    message = i18n.gettext(error.message)
    return message % error.params if error.params else message


@router.get("/account/password", response_class=HTMLResponse)
def password_form(request: Request) -> Response:
    if signed_in(request) is None:
        return see_other("/")
    return password_page(request)


@router.post("/account/password")
def change_password(request: Request, values: FormValues) -> Response:
    actor = signed_in(request)
    if actor is None:
        return see_other("/")
    current = str(values.get("current", ""))
    new = str(values.get("password", ""))
    try:
        _throttled(request, actor.login, count=False)
        if accounts(request).authenticate(actor.login, current) is None:
            _throttled(request, actor.login, count=True)
            raise Refused(N_("Your current password is not that: type it again."), "current")
        check_new_password(new, str(values.get("confirm", "")), actor.login)
    except TooManyRequests as error:
        message = i18n.gettext(TOO_MANY) % {"seconds": error.retry_after}
        return password_page(request, error=Refused(message, "current"), status=429)
    except Refused as error:
        return password_page(request, error=error, status=400)
    accounts(request).change_password(actor.user_id, new)  # ends every session of theirs
    response = see_other("/account?changed=1")
    start_session(request, response, actor.user_id)
    return response


def login_url(next: str) -> str:
    return "/login?next=" + quote(next, safe="/")


# ---- the account page: language, API tokens --------------------------------------------------
ROLE_WORDS = {"instructor": N_("Instructor"), "student": N_("Student"), "owner": N_("Owner")}


def account_page_response(
    request: Request,
    actor: Actor,
    *,
    notice: str = "",
    new_token: str = "",
    error: Refused | None = None,
    status: int = 200,
) -> HTMLResponse:
    state = request.scope.get("state", {})
    mine = accounts(request).get(actor.user_id)
    return render(
        request,
        "account.html",
        {
            "actor": actor,
            "display_name": state.get("display_name") or actor.login,
            "role_word": ROLE_WORDS[actor.role],
            "notice": notice,
            "language": mine.language if mine else None,
            "tokens": accounts(request).tokens(actor.user_id),
            "new_token": new_token,
            "error": _say(error),
        },
        status_code=status,
    )


NOTICES = {
    "changed": N_(
        "Your password was changed. Other browsers signed in to your account were signed out."
    ),
    "revoked": N_("The token was revoked: scripts using it are refused from now on."),
    "language": N_("Your language was saved."),
}


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, changed: str = "", done: str = "") -> Response:
    actor = signed_in(request)
    if actor is None:
        return see_other("/")  # personal mode: there is no account to manage
    key = "changed" if changed else done
    return account_page_response(request, actor, notice=NOTICES.get(key, ""))


@router.post("/account/language")
def save_language(request: Request, values: FormValues) -> Response:
    actor = signed_in(request)
    if actor is None:
        return see_other("/")
    language = str(values.get("language", ""))
    accounts(request).set_language(actor.user_id, language or None)
    response = see_other("/account?done=language")
    if language in i18n.LANGUAGES:
        response.set_cookie(i18n.COOKIE, language, samesite="lax", httponly=True)
    else:
        response.delete_cookie(i18n.COOKIE)  # follow the browser again
    return response


@router.post("/account/tokens")
def create_token(request: Request, values: FormValues) -> Response:
    actor = signed_in(request)
    if actor is None:
        return see_other("/")
    try:
        _row, secret = accounts(request).create_token(actor.user_id, str(values.get("name", "")))
    except Refused as error:
        return account_page_response(request, actor, error=error, status=400)
    # Shown in this answer only: the database keeps its hash, nobody can show it again.
    response = account_page_response(request, actor, new_token=secret, status=201)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/account/tokens/{token_id}/revoke", response_class=HTMLResponse)
def revoke_token_confirm(request: Request, token_id: int) -> Response:
    actor = signed_in(request)
    token = accounts(request).token(actor.user_id, token_id) if actor else None
    if token is None:
        return see_other("/account")
    return render(
        request,
        "confirm.html",
        {
            "title": N_("Revoke this token?"),
            "message": i18n.gettext(
                "Scripts sending the token %(name)s (%(prefix)s…) will be refused from now on. "
                "This cannot be undone: a script needs a new token to work again."
            )
            % {"name": token.name, "prefix": token.prefix},
            "action": f"/account/tokens/{token_id}/revoke",
            "button": N_("Revoke token"),
            "back": "/account",
        },
    )


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(request: Request, token_id: int) -> Response:
    actor = signed_in(request)
    if actor is None:
        return see_other("/")
    accounts(request).revoke_token(actor.user_id, token_id)
    return see_other("/account?done=revoked")
