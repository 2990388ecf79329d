"""Shared by the robust-matching tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def reference_photos(reference_media: Path) -> list[Path]:
    """The reference photos the compiled parts are compared on: labelme, the bridge edits, the sample
    photo and its letterboxed copy."""
    pdq = reference_media / "pdq"
    files = sorted((pdq / "labelme-subset").glob("*.jpg")) + sorted((pdq / "bridge-mods").glob("*.jpg"))
    files += [pdq / "sample-b.jpg", pdq / "letterboxed_sample-b.jpg"]
    files = [f for f in files if f.is_file()]
    assert files, f"no reference photos under {pdq}"
    return files
