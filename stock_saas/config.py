"""The one Settings object, read from the environment and `.env`.

Nothing else in the code base reads ``os.environ``: every front door (CLI, API, Reflex,
Celery, Alembic) asks :func:`get_settings`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["REPO_ROOT", "Settings", "get_settings"]

REPO_ROOT = Path(__file__).resolve().parent.parent
EMBEDDED_DATABASE_URL = "sqlite:///inventory.db"


class Settings(BaseSettings):
    """Configuration of one Stock-SaaS deployment (see `.env.example`)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = EMBEDDED_DATABASE_URL
    secret_key: str | None = None
    secret_store_file: Path = Path("secrets.json")
    admin_username: str = "admin"
    admin_password: str | None = None
    redis_url: str | None = None
    celery_broker_url: str | None = None
    stock_check_interval: int = Field(default=3600, ge=1)
    slack_webhook_url: str | None = None
    smtp_server: str | None = None
    smtp_port: int = 25
    alert_email_to: str | None = None
    alert_email_from: str = "stock-saas@localhost"
    next_public_api_url: str | None = None
    export_dir: Path = Path("exports")
    export_ttl_seconds: int = Field(default=24 * 3600, ge=60)
    # Celery (issue 6). Without a broker URL the embedded SQLite broker lives in
    # CELERY_DATA_DIR, by default next to the SQLite database (else the working directory).
    celery_result_backend: str | None = None
    celery_data_dir: Path | None = None
    slack_min_interval_seconds: float = Field(default=1.0, ge=0)
    alert_retry_base_seconds: int = Field(default=30, ge=1)
    alert_max_attempts: int = Field(default=6, ge=1)
    alert_sending_lease_seconds: int = Field(default=300, ge=1)
    export_lease_seconds: int = Field(default=10, ge=1)
    # Front doors enqueue an alert check (or an export) the moment an event calls for it;
    # off, only the beat sweeps find the work (the test suite turns it off).
    queue_on_events: bool = True
    token_ttl_seconds: int = Field(default=8 * 3600, ge=60)
    token_issuer: str = "stock-saas"  # noqa: S105 (a name, not a secret)
    token_audience: str = "stock-saas-api"  # noqa: S105
    # Sign-in and sign-up limits (services/people/throttle.py; README "Security").
    login_max_failures: int = Field(default=100, ge=1)  # per client address
    login_max_pair_failures: int = Field(default=10, ge=1)  # per (username, address)
    login_slowdown_after: int = Field(default=10, ge=1)  # per username: slow, never block
    login_max_delay_seconds: int = Field(default=60, ge=1)
    login_window_seconds: int = Field(default=3600, ge=1)
    signup_max_per_address: int = Field(default=20, ge=1)
    signup_window_seconds: int = Field(default=3600, ge=1)
    # Proxies whose X-Forwarded-For names the client (comma-separated addresses or
    # networks, "*" for any); empty: the peer address is the client.
    forwarded_allow_ips: str = ""
    log_level: str = "INFO"
    # Events, SSE and webhooks (issue 7; README "Events, SSE and webhooks").
    event_tail_interval_seconds: float = Field(default=0.2, gt=0)
    sse_heartbeat_seconds: float = Field(default=15.0, gt=0)
    sse_queue_size: int = Field(default=1000, ge=1)
    # Webhooks may target loopback addresses (plain http too): development and tests only.
    # Unset: on with the SQLite database (the development default), off otherwise.
    webhook_allow_loopback: bool | None = None
    webhook_timeout_seconds: float = Field(default=5.0, gt=0)
    webhook_retry_base_seconds: float = Field(default=10.0, ge=0)
    webhook_max_attempts: int = Field(default=6, ge=1)
    webhook_pause_after_failures: int = Field(default=5, ge=1)
    webhook_batch_max: int = Field(default=50, ge=1, le=500)
    # API keys (README "API keys"): requests per key per minute, then 429 with Retry-After.
    api_key_rate_limit: int = Field(default=600, ge=1)
    # Printed labels (README "Shelves"): a TrueType font for names in scripts DejaVu lacks.
    label_font_file: Path | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def is_embedded(self) -> bool:
        """True on the zero-set-up default: SQLite data and no external services."""
        return self.is_sqlite and not self.redis_url

    @property
    def webhook_loopback_allowed(self) -> bool:
        """WEBHOOK_ALLOW_LOOPBACK, defaulting to on with SQLite and off otherwise."""
        if self.webhook_allow_loopback is None:
            return self.is_sqlite
        return self.webhook_allow_loopback

    @property
    def cors_origins(self) -> list[str]:
        """Every origin on the embedded default; else only NEXT_PUBLIC_API_URL's origin."""
        if self.is_sqlite:
            return ["*"]
        if not self.next_public_api_url:
            return []
        parsed = urlparse(self.next_public_api_url)
        return [f"{parsed.scheme}://{parsed.netloc}"]


@lru_cache
def get_settings() -> Settings:
    return Settings()
