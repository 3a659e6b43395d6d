"""The application: ``uvicorn app.main:app`` serves the HTML pages at / and the API at /api/v1."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app import api, whole_network
from app.accounts.identify import Identify
from app.accounts.resolver import resolver, session_cookie
from app.api import docs as api_docs
from app.api import errors
from app.api.limits import RequestLimits
from app.api.origin import CrossSiteApiGuard
from app.api.security import document_bearer
from app.config import Settings, get_settings
from app.db.migrate import upgrade
from app.db.session import make_engine
from app.db.store import Store
from app.hosts import AllowedHosts
from app.jobs import Jobs
from app.server_secret import server_secret
from app.throttle import RateLimits
from app.web import errors as web_errors
from app.web import router as web_router
from app.web.csrf import CsrfProtect
from app.web.render import SECURITY_HEADERS

ROOT = Path(__file__).resolve().parent.parent


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # A whole-network job computes in a thread of this process; each time the event loop
        # needs the GIL back (every socket read or write of every request) it waits up to one
        # switch interval. Python's 5 ms made /health ~4x slower while a job ran; 1 ms keeps it
        # within ~2x (bench row g), and costs nothing while only one thread runs.
        switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(settings.thread_switch_interval_ms / 1000)
        if app.state.store is None:
            engine = make_engine(
                settings.database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms
            )
            if settings.auto_migrate:
                upgrade(engine)
            app.state.store = Store(
                engine,
                cache_bytes=settings.model_cache_mb * 1024 * 1024,
                max_topologies=settings.max_topologies or None,  # 0: no limit
                max_analyses=settings.max_analyses_per_topology or None,
            )
        # Kept in the database: every worker and replica of the lab shares them.
        app.state.jobs = Jobs(
            app.state.store.engine,
            runners=whole_network.runners(app.state.store),
            decoders=whole_network.DECODERS,
            workers=settings.job_workers,
            per_owner=settings.jobs_per_client,
            active_max=settings.jobs_max,
            watch_s=settings.job_watch_s,
            stale_s=settings.job_stale_s,
        )
        yield
        app.state.jobs.shutdown()
        app.state.store.engine.dispose()
        sys.setswitchinterval(switch_interval)

    app = FastAPI(
        title="VPC Lab",
        version="1.0.0",
        summary="Build AWS VPC topologies and see every hop of a packet's way there and back.",
        lifespan=lifespan,
        # /docs is served from vendored Swagger UI (app.api.docs); ReDoc would need a CDN.
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.state.settings = settings
    app.state.rate_limits = RateLimits(
        {
            "analyses": settings.analyses_per_minute,
            "whole-network": settings.whole_network_per_minute,
            "import": settings.imports_per_minute,
            "login-account": settings.login_failures_per_account_per_minute,
            "login-address": settings.login_failures_per_address_per_minute,
        }
    )
    errors.install(app)
    web_errors.install(app)
    # Outermost last: limits and security headers, then Host, cross-site API, CSRF.
    app.add_middleware(
        CsrfProtect, key=lambda: server_secret(settings), secure=settings.secure_cookies
    )
    app.state.session_cookie = session_cookie(settings)
    app.add_middleware(Identify, mode=settings.mode, resolve=resolver(app.state.session_cookie))
    # A request carrying an API token is no browser's ambient credential (classroom mode).
    app.add_middleware(CrossSiteApiGuard, bearer_allowed=settings.mode == "classroom")
    app.add_middleware(AllowedHosts, allowed=settings.allowed_hosts)
    app.add_middleware(
        RequestLimits, max_body_bytes=settings.max_body_bytes, headers=SECURITY_HEADERS
    )
    app.include_router(api.router)
    if settings.mode == "classroom":
        document_bearer(app)
    app.include_router(api_docs.router)
    app.include_router(web_router)
    app.mount("/static", StaticFiles(directory=ROOT / "static"), name="static")

    return app


app = create_app()
