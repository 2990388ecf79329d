"""Evidence a case must keep (e.g. the frames that ended a live stream), encrypted at rest.

Each item is one file under ``<data_dir>/evidence/<case_id>/``: ``CSE1`` + a 12-byte nonce +
AES-256-GCM ciphertext, with the case id and item name as associated data, so a file moved to
another case (or renamed) no longer decrypts. The key comes from ``CHILDSAFE_EVIDENCE_KEY``
(32 bytes, base64 or hex) or, failing that, ``<data_dir>/evidence.key`` (made once, mode 0600).
The case record holds only a reference: path, SHA-256 of the plaintext, size and content type.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from childsafe.errors import ChildsafeError, InvalidInput

KEY_ENV = "CHILDSAFE_EVIDENCE_KEY"
MAGIC = b"CSE1"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")


class EvidenceError(ChildsafeError):
    code = "evidence_unreadable"


def _parse_key(text: str) -> bytes:
    text = text.strip()
    for decode in (bytes.fromhex, lambda s: base64.b64decode(s, validate=True)):
        try:
            key = decode(text)
        except (ValueError, binascii.Error):
            continue
        if len(key) == 32:
            return key
    raise InvalidInput(f"{KEY_ENV} must be 32 bytes given as hex or base64", code="bad_evidence_key")


def load_key(data_dir: str | Path) -> bytes:
    """The evidence key: from the environment, else the data directory's key file (made if absent)."""
    env = os.environ.get(KEY_ENV)
    if env:
        return _parse_key(env)
    path = Path(data_dir) / "evidence.key"
    if path.exists():
        return _parse_key(path.read_text())
    path.parent.mkdir(parents=True, exist_ok=True)
    key = AESGCM.generate_key(bit_length=256)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, base64.b64encode(key) + b"\n")
    finally:
        os.close(fd)
    return key


class EvidenceStore:
    """Writes and reads encrypted evidence items for cases."""

    def __init__(self, data_dir: str | Path, key: bytes | None = None) -> None:
        self.root = Path(data_dir) / "evidence"
        self._aead = AESGCM(key if key is not None else load_key(data_dir))

    def _path(self, case_id: str, name: str) -> Path:
        for what, value in (("case id", case_id), ("evidence name", name)):
            if not _NAME.match(value or ""):
                raise InvalidInput(f"{what} {value!r} is not a safe file name", code="bad_evidence_name")
        return self.root / case_id / (name + ".enc")

    def put(self, case_id: str, name: str, data: bytes, *, content_type: str = "application/octet-stream") -> dict:
        """Encrypt and store ``data``; returns the reference a case's evidence list keeps."""
        path = self._path(case_id, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        nonce = os.urandom(12)
        sealed = MAGIC + nonce + self._aead.encrypt(nonce, data, f"{case_id}/{name}".encode())
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(sealed)
        os.replace(tmp, path)  # never a half-written item
        return {"kind": "encrypted_file", "case_id": case_id, "name": name,
                "path": str(path.relative_to(self.root.parent)), "sha256": hashlib.sha256(data).hexdigest(),
                "bytes": len(data), "content_type": content_type, "encryption": "AES-256-GCM"}

    def get(self, case_id: str, name: str) -> bytes:
        path = self._path(case_id, name)
        try:
            sealed = path.read_bytes()
        except FileNotFoundError:
            raise EvidenceError(f"no evidence {name!r} for case {case_id!r}", code="evidence_not_found") from None
        if not sealed.startswith(MAGIC) or len(sealed) < len(MAGIC) + 12 + 16:
            raise EvidenceError(f"evidence {name!r} of case {case_id!r} is not an evidence file")
        nonce, body = sealed[4:16], sealed[16:]
        try:
            return self._aead.decrypt(nonce, body, f"{case_id}/{name}".encode())
        except Exception:
            raise EvidenceError(f"evidence {name!r} of case {case_id!r} does not decrypt with this key "
                                "(wrong key, or the file was altered or moved)") from None

    def delete_case(self, case_id: str) -> int:
        """Remove a case's evidence (retention); returns how many items were removed."""
        folder = self.root / case_id
        if not folder.is_dir():
            return 0
        count = 0
        for item in folder.iterdir():
            item.unlink()
            count += 1
        folder.rmdir()
        return count
