"""Who is reporting: the platform's reporting person and service, from configuration.

Read from ``<data_dir>/reporter.yaml`` (keys: company, esp_service, first_name, last_name, email, phone,
terms_of_service, legal_url) or the environment (``CHILDSAFE_REPORTER_<KEY>``, which wins).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from childsafe.errors import InvalidInput

FIELDS = ("company", "esp_service", "first_name", "last_name", "email", "phone", "terms_of_service", "legal_url")


@dataclass(frozen=True)
class Reporter:
    company: str = ""
    esp_service: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    terms_of_service: str = ""
    legal_url: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def load_reporter(data_dir: str | Path | None) -> Reporter:
    values: dict[str, str] = {}
    if data_dir is not None:
        path = Path(data_dir) / "reporter.yaml"
        if path.exists():
            try:
                loaded = yaml.safe_load(path.read_text()) or {}
            except yaml.YAMLError as exc:
                raise InvalidInput(f"{path}: not valid YAML ({exc})", code="bad_reporter_config") from None
            if not isinstance(loaded, dict):
                raise InvalidInput(f"{path}: expected a mapping of {', '.join(FIELDS)}", code="bad_reporter_config")
            unknown = sorted(set(loaded) - set(FIELDS))
            if unknown:
                raise InvalidInput(f"{path}: unknown key(s) {', '.join(unknown)}", code="bad_reporter_config")
            values.update({k: str(v) for k, v in loaded.items() if v is not None})
    for name in FIELDS:
        env = os.environ.get(f"CHILDSAFE_REPORTER_{name.upper()}")
        if env:
            values[name] = env
    return Reporter(**values)
