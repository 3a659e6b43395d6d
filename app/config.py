"""Settings from ``VPCLAB_*`` environment variables (api-contract: "Running the server")."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


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


@lru_cache
def get_settings() -> Settings:
    return Settings()
