"""Service settings: ``CHILDSAFE_`` environment variables, a ``.env`` file or a settings file
(``CHILDSAFE_SETTINGS_FILE``, YAML or JSON). Retention periods live here and are shown at ``/v1/config``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from childsafe.errors import InvalidInput
from childsafe.settings import DEFAULT_DATA_DIR


class RetentionSettings(BaseSettings):
    """How long each kind of record is kept; a periodic job deletes what is older."""

    model_config = SettingsConfigDict(env_prefix="CHILDSAFE_RETENTION_", extra="ignore")

    events_days: float = Field(90, gt=0, description="event signals and decisions")
    message_text_days: float = Field(30, gt=0, description="message text kept for risky conversations")
    conversation_state_days: float = Field(30, gt=0, description="conversation state idle for this long")
    delivered_webhooks_days: float = Field(7, gt=0, description="webhooks already delivered")
    idempotency_hours: float = Field(24, gt=0, description="answers kept for Idempotency-Key retries")
    job_interval_seconds: float = Field(3600, gt=0, description="how often the retention job runs")


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CHILDSAFE_", env_file=".env", extra="ignore")

    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = Field(1_000_000, gt=0, description="largest JSON request body")
    max_upload_bytes: int = Field(50_000_000, gt=0, description="largest media upload")
    max_text_chars: int = Field(10_000, gt=0)
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_timeout_seconds: float = 5.0
    webhook_max_attempts: int = Field(20, gt=0)
    webhook_backoff_base_seconds: float = Field(1.0, gt=0)
    webhook_backoff_max_seconds: float = Field(3600.0, gt=0)
    webhook_tolerance_seconds: int = Field(300, gt=0, description="age-provider webhook timestamp tolerance")
    person_cache_seconds: float = Field(
        10.0, ge=0, description="how long a stored age record is cached per process (changes made through this "
        "process apply at once; other workers see them within this time)"
    )
    text_window_messages: int = Field(20, gt=0, description="recent messages kept in memory per conversation")
    group_commit: Literal["auto", "loop", "thread"] = Field(
        "auto", description="where concurrent writes are committed together: on the event loop (auto for SQLite) "
        "or in a writer thread (auto for PostgreSQL)"
    )
    access_log: bool = False
    retention: RetentionSettings = Field(default_factory=RetentionSettings)

    def public_dict(self) -> dict:
        """What ``/v1/config`` shows: limits and retention, never secrets."""
        return {
            "database": "postgresql" if (self.database_url or "").startswith("postgresql") else "sqlite",
            "limits": {
                "max_body_bytes": self.max_body_bytes,
                "max_upload_bytes": self.max_upload_bytes,
                "max_text_chars": self.max_text_chars,
            },
            "retention": self.retention.model_dump(),
            "webhooks": {
                "configured": bool(self.webhook_url),
                "max_attempts": self.webhook_max_attempts,
                "backoff_base_seconds": self.webhook_backoff_base_seconds,
                "backoff_max_seconds": self.webhook_backoff_max_seconds,
            },
            "data_minimisation": {
                "message_text_kept_from_level": "medium",
                "text_window_messages": self.text_window_messages,
            },
        }


def load_settings(settings_file: str | Path | None = None, **overrides: object) -> ServiceSettings:
    """Settings from the environment, then a settings file, then explicit overrides (CLI flags)."""
    values: dict = {}
    path = settings_file or os.environ.get("CHILDSAFE_SETTINGS_FILE")
    if path:
        p = Path(path)
        try:
            text = p.read_text()
        except OSError as exc:
            raise InvalidInput(f"cannot read settings file {p}: {exc.strerror}", code="bad_settings_file") from exc
        try:
            values = (json.loads(text) if p.suffix == ".json" else yaml.safe_load(text)) or {}
        except (ValueError, yaml.YAMLError) as exc:
            raise InvalidInput(f"settings file {p} is not valid YAML/JSON: {exc}", code="bad_settings_file") from exc
        if not isinstance(values, dict):
            raise InvalidInput(f"settings file {p} must hold a mapping", code="bad_settings_file")
    values.update({k: v for k, v in overrides.items() if v is not None})
    if isinstance(values.get("retention"), dict):
        env_retention = RetentionSettings().model_dump()
        env_retention.update(values["retention"])
        values["retention"] = env_retention
    try:
        return ServiceSettings(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise InvalidInput(f"bad setting {where}: {first['msg']}", code="bad_settings") from exc
