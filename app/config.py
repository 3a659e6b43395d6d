"""Settings from ``VPCLAB_*`` environment variables (api-contract: "Running the server")."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Literal

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """``VPCLAB_DATABASE_URL`` picks the database (SQLite file by default, or PostgreSQL)."""

    model_config = SettingsConfigDict(env_prefix="VPCLAB_")

    database_url: str = "sqlite:///./vpclab.db"
    # "personal": one local owner, no login (the default, for one learner on their machine).
    # "classroom": instructors and students sign in (app.accounts); for a shared server.
    mode: Literal["personal", "classroom"] = "personal"
    auto_migrate: bool = True
    # Largest request body accepted (a bundle of AWS's largest default quotas fits in it).
    max_body_bytes: int = 32 * 1024 * 1024
    # How many topologies' engine models are kept in memory, one per revision.
    model_cache_size: int = 32
    sqlite_busy_timeout_ms: int = 30_000
    # Host names the server answers to besides the loopback ones (127.0.0.1, localhost, [::1]),
    # comma-separated: any other Host header is refused, so DNS rebinding cannot reach the lab.
    # "*" answers every name (only behind a proxy that checks the name itself).
    allowed_hosts: Annotated[list[str], NoDecode] = []
    # Signs the CSRF cookie and tokens; generated into secret_key_file at first start if unset.
    secret_key: SecretStr | None = None
    secret_key_file: str = "vpclab-secret.key"

    # Classroom mode's sign-in (app.accounts): how long a login session lasts, whether the
    # cookies are marked Secure (set it when a proxy in front serves the lab over HTTPS), and
    # how many failed sign-ins a minute one login, or one client address, may make (a token
    # bucket like the limits below; successful sign-ins are not counted, so a class signing in
    # together from one school address is never refused).
    session_hours: float = 12.0
    secure_cookies: bool = False
    login_failures_per_account_per_minute: int = 5
    login_failures_per_address_per_minute: int = 60

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [name.strip() for name in value.split(",") if name.strip()]
        return value

    # Fair use (issue 10): one client's burst must not take the server from everyone.
    # Rate limits per client (a token bucket: this many at once, then one every 60/N s; 0 turns
    # a limit off), answered 429 RequestLimitExceeded with Retry-After.
    analyses_per_minute: int = 1200  # POST …/analyses and …/analyses/{n}/rerun
    whole_network_per_minute: int = 60  # GET …/exposure and …/reachability-matrix
    imports_per_minute: int = 20  # POST …/import
    # Background jobs (whole-network analyses): how many run at once, how many may be queued
    # or running per client and for everyone (more answer 429), and how long a job shown on a
    # page lives without a poll before it is cancelled (an API job ends with its last waiter).
    job_workers: int = 1
    jobs_per_client: int = 3
    jobs_max: int = 12
    job_watch_s: float = 10.0
    # How long a thread keeps the GIL when another wants it (Python's default is 5 ms): short,
    # so that requests stay quick while a job computes in a thread of the same process.
    thread_switch_interval_ms: float = 1.0
    # Quotas, answered 400 …LimitExceeded: topologies per user (personal mode has one user, so
    # this counts every topology) and analyses saved per topology; 0 turns a quota off.
    max_topologies: int = 50
    max_analyses_per_topology: int = 500


@lru_cache
def get_settings() -> Settings:
    return Settings()
