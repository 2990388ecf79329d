"""Settings from environment variables (prefix ``CHILDSAFE_``) or a ``.env``/settings file."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATA_DIR = Path("./childsafe-data")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CHILDSAFE_", env_file=".env", extra="ignore")

    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str | None = None
    pdq_threshold: int = 31


def get_settings(**overrides: object) -> Settings:
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
