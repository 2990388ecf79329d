"""Shared fixtures. The reference media lives in ../shared/reference-media beside the checkout."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def reference_media_dir() -> Path:
    env = os.environ.get("CHILDSAFE_REFERENCE_MEDIA")
    if env:
        return Path(env)
    for candidate in (REPO_ROOT.parent / "shared" / "reference-media", REPO_ROOT / "shared" / "reference-media"):
        if candidate.is_dir():
            return candidate
    return REPO_ROOT.parent / "shared" / "reference-media"


@pytest.fixture(scope="session")
def reference_media() -> Path:
    path = reference_media_dir()
    if not path.is_dir():
        pytest.fail(f"reference media not found at {path}; set CHILDSAFE_REFERENCE_MEDIA")
    return path


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    return d
