"""File fingerprints: exact digests plus the perceptual hash that fits the content.

The type (image or video) is decided from the file's bytes, never its name: a video renamed
``.jpg`` is still hashed as a video, and a text file named ``.png`` is refused.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Union

from childsafe.errors import InvalidInput
from childsafe.media.images import DEFAULT_MAX_PIXELS, pdq_hash_file, require_file
from childsafe.media.video import hash_video
from childsafe.media.vpdq import FrameHash

PathLike = Union[str, Path]

_CHUNK = 1 << 20


@dataclass(frozen=True)
class FileDigests:
    md5: str
    sha256: str
    size: int


def file_digests(path: PathLike) -> FileDigests:
    """MD5 and SHA-256 in one streaming pass (memory stays flat for any file size)."""
    md5 = hashlib.md5(usedforsecurity=False)
    sha = hashlib.sha256()
    size = 0
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                md5.update(chunk)
                sha.update(chunk)
                size += len(chunk)
    except FileNotFoundError:
        raise InvalidInput(f"{os.fspath(path)}: no such file", code="file_not_found") from None
    except IsADirectoryError:
        raise InvalidInput(f"{os.fspath(path)}: is a directory, not a file", code="not_a_file") from None
    except OSError as exc:
        raise InvalidInput(f"{os.fspath(path)}: cannot read ({exc.strerror or exc})", code="unreadable") from None
    return FileDigests(md5.hexdigest(), sha.hexdigest(), size)


def _is_video_signature(head: bytes) -> bool:
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        return brand not in (b"avif", b"avis", b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis")
    return (
        head.startswith(b"\x1a\x45\xdf\xa3")  # Matroska / WebM
        or (head.startswith(b"RIFF") and head[8:12] in (b"AVI ", b"AVIX"))
        or head.startswith(b"FLV")
        or head.startswith(b"OggS")
        or head.startswith(b"\x30\x26\xb2\x75\x8e\x66\xcf\x11")  # ASF / WMV
        or head.startswith(b"\x00\x00\x01\xba")  # MPEG program stream
        or head.startswith(b"\x00\x00\x01\xb3")  # MPEG-1/2 video elementary stream
        or (len(head) >= 189 and head[0] == 0x47 and head[188] == 0x47)  # MPEG transport stream
        or (len(head) >= 8 and head[4:8] in (b"moov", b"mdat", b"wide", b"free"))  # old QuickTime
    )


_IMAGE_SIGNATURES = (
    b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*",
)


def detect_media_type(path: PathLike) -> str:
    """'image' or 'video' from the content; InvalidInput for anything else."""
    name = os.fspath(path)
    p = Path(path)
    require_file(p, name)
    try:
        with open(p, "rb") as fh:
            head = fh.read(512)
    except OSError as exc:
        raise InvalidInput(f"{name}: cannot read ({exc.strerror or exc})", code="unreadable") from None
    if _is_video_signature(head):
        return "video"
    if head.startswith(_IMAGE_SIGNATURES) or (head.startswith(b"RIFF") and head[8:12] == b"WEBP"):
        return "image"
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(p) as img:
            if img.format not in ("MPEG",):
                return "image"
    except UnidentifiedImageError:
        pass
    except Exception:  # a recognised but broken image header: let the image loader explain
        return "image"
    import av

    try:
        with av.open(str(p)) as container:
            if container.streams.video and container.format.name not in ("image2", "png_pipe", "jpeg_pipe"):
                return "video"
    except (av.error.FFmpegError, OSError, ValueError):
        pass
    raise InvalidInput(f"{name}: not an image or video that can be read", code="not_media")


@dataclass
class Fingerprint:
    """What ``childsafe hash`` reports for one file."""

    path: str
    type: str
    md5: str
    sha256: str
    size: int
    pdq: str | None = None
    quality: int | None = None
    vpdq: list[FrameHash] | None = None

    def to_dict(self) -> dict:
        d: dict = {"path": self.path, "type": self.type, "md5": self.md5, "sha256": self.sha256, "size": self.size}
        if self.type == "image":
            d["pdq"] = self.pdq
            d["quality"] = self.quality
        else:
            d["vpdq"] = [f.to_dict() for f in self.vpdq or []]
        return d


def fingerprint_file(path: PathLike, *, fps: float | None = None, max_pixels: int = DEFAULT_MAX_PIXELS) -> Fingerprint:
    """Digests plus PDQ (image) or vPDQ (video) for one file; InvalidInput naming the file if bad."""
    name = os.fspath(path)
    kind = detect_media_type(path)
    if kind == "image":
        h = pdq_hash_file(path, max_pixels=max_pixels)
        digests = file_digests(path)
        return Fingerprint(name, "image", digests.md5, digests.sha256, digests.size, pdq=h.pdq, quality=h.quality)
    video = hash_video(path, fps=fps, max_pixels=max_pixels)
    digests = file_digests(path)
    return Fingerprint(name, "video", digests.md5, digests.sha256, digests.size, vpdq=video.frames)
