"""Settings from ``VPCLAB_*`` environment variables (api-contract: "Running the server")."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """``VPCLAB_DATABASE_URL`` picks the database (SQLite file by default, or PostgreSQL)."""

    model_config = SettingsConfigDict(env_prefix="VPCLAB_")

    database_url: str = "sqlite:///./vpclab.db"
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

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [name.strip() for name in value.split(",") if name.strip()]
        return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
