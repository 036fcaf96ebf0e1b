"""Runtime settings read from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        return default


@dataclass
class Settings:
    database_url: str = field(
        default_factory=lambda: os.environ.get(
            "JOBBOARD_DATABASE_URL", "postgresql+psycopg2://jobboard@localhost/jobboard"
        )
    )
    async_database_url: str = field(
        default_factory=lambda: os.environ.get(
            "JOBBOARD_ASYNC_DATABASE_URL", "postgresql+asyncpg://jobboard@localhost/jobboard"
        )
    )
    legacy_database_url: str = field(
        default_factory=lambda: os.environ.get("JOBBOARD_LEGACY_URL", "sqlite:///legacy.db")
    )
    scheduler_interval: float = field(default_factory=lambda: _env_float("JOBBOARD_SCHEDULER_INTERVAL", 5.0))
    reaper_interval: float = field(default_factory=lambda: _env_float("JOBBOARD_REAPER_INTERVAL", 30.0))
    supervisor_interval: float = field(default_factory=lambda: _env_float("JOBBOARD_SUPERVISOR_INTERVAL", 60.0))
    retention_interval: float = field(default_factory=lambda: _env_float("JOBBOARD_RETENTION_INTERVAL", 3600.0))
    stale_run_seconds: float = field(default_factory=lambda: _env_float("JOBBOARD_STALE_RUN_SECONDS", 900.0))
    log_retention_days: float = field(default_factory=lambda: _env_float("JOBBOARD_LOG_RETENTION_DAYS", 14.0))


def load_settings() -> Settings:
    return Settings()
