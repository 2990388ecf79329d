"""Multipart uploads (a ``file`` field and a few text fields): the one way the routes that take
media read them, with the same problems for the same mistakes."""

from __future__ import annotations

import re

from starlette.datastructures import UploadFile
from starlette.requests import Request

from childsafe.service.metrics import BodyTooLarge
from childsafe.service.problems import Problem


async def read_upload(request: Request, fields: dict[str, int | None]) -> tuple[bytes, str, dict[str, str | None]]:
    """The uploaded file's bytes, its name as sent, and the text ``fields`` (name -> longest length
    allowed, None for no limit; absent ones are None). A body over the service's limit stays a 413
    (the size check's own exception passes through); anything else unreadable is a 400."""
    try:
        form = await request.form(max_files=1, max_fields=20)
    except BodyTooLarge:
        raise
    except Exception as exc:
        raise Problem(400, "malformed_multipart", f"the multipart body could not be read: {exc}") from exc
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise Problem(422, "missing_field", "multipart field 'file' (the media bytes) is required")
        values: dict[str, str | None] = {}
        for name, longest in fields.items():
            value = form.get(name)
            if value is not None and (not isinstance(value, str) or (longest is not None and len(value) > longest)):
                raise Problem(422, "invalid_field", f"{name} must be a string"
                              + (f" of at most {longest} characters" if longest is not None else ""))
            values[name] = value
        data = await upload.read()
        filename = upload.filename or "upload"
    finally:
        await form.close()
    if not data:
        raise Problem(422, "empty_media", "the uploaded file is empty")
    return data, filename, values


def switch(value: str | None, name: str, default: bool = True) -> bool:
    """A true/false form field (true, 1, yes, on / false, 0, no, off); ``default`` when absent."""
    if value is None:
        return default
    text = value.strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise Problem(422, "invalid_field", f"{name} must be true or false, not {value!r}")


def safe_name(filename: str, longest: int = 100) -> str:
    """An uploaded file's name as a plain file name to write under a folder of our own: its last
    part, letters, digits, dots, dashes and underscores only, at most ``longest`` characters, not
    starting with a dot ("upload" when nothing is left)."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", filename.replace("\\", "/").rsplit("/", 1)[-1])
    return name[-longest:].lstrip(".") or "upload"
