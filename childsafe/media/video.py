"""vPDQ-compatible video hashing with PyAV.

Follows the reference ``vpdq-hash-video``: frames are numbered in decode order from 0, the frame
rate is the stream's average rate (falling back to its base rate), a frame is hashed when its number
is a multiple of ``int(frame_rate / fps)`` (every frame when ``fps`` is None, as the reference does
by default), and the timestamp is ``frame_number / frame_rate``. Mirror hashes (the horizontally
flipped frame) come from the same decoded pixels read right to left (`pdq.pdq_mirror_bits`), so
asking for them costs no second decode.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence, Union

import av
import numpy as np

from childsafe.errors import InvalidInput
from childsafe.index.codec import bits_to_hex
from childsafe.media import pdq
from childsafe.media.images import DEFAULT_MAX_PIXELS, HASH_MAX_SIDE, require_file
from childsafe.media.vpdq import FrameHash, format_vpdq

VideoSource = Union[str, Path]



def bars_were_cut(trimmed: Sequence[FrameHash] | None, frames: Sequence[FrameHash]) -> bool:
    """Whether any of a video's frames had bars cut away: its trimmed hash differs from its plain one
    (a frame without bars keeps its plain hash as its trimmed one, see `hash_video`)."""
    return bool(trimmed) and any(a.pdq != b.pdq for a, b in zip(trimmed, frames))


@dataclass
class VideoHash:
    """A video's frame hashes (and, when asked, those of its mirror image)."""

    frames: list[FrameHash]
    frame_rate: float
    width: int
    height: int
    mirror_frames: list[FrameHash] | None = None
    frames_decoded: int = 0
    trimmed_frames: list[FrameHash] | None = None
    """With ``trim=True``: each frame hashed with its bars cut away (see `childsafe.media.edits.trim_frame`)."""
    trimmed_mirror_frames: list[FrameHash] | None = None

    def to_vpdq(self) -> str:
        return format_vpdq(self.frames)

    def to_dict(self) -> dict:
        d: dict = {
            "frame_rate": self.frame_rate,
            "width": self.width,
            "height": self.height,
            "frames_decoded": self.frames_decoded,
            "vpdq": [f.to_dict() for f in self.frames],
        }
        if self.mirror_frames is not None:
            d["vpdq_mirror"] = [f.to_dict() for f in self.mirror_frames]
        return d


def _frame_rate(stream: av.video.stream.VideoStream) -> float:
    for rate in (stream.average_rate, stream.base_rate, stream.guessed_rate):
        if rate:
            value = float(rate)
            if value > 0:
                return value
    return 0.0


def _hash_size(width: int, height: int) -> tuple[int, int]:
    longer = max(width, height)
    if longer <= HASH_MAX_SIDE:
        return width, height
    scale = HASH_MAX_SIDE / longer
    return max(1, round(width * scale)), max(1, round(height * scale))


def hash_video(
    source: VideoSource,
    *,
    fps: float | None = None,
    mirror: bool = False,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    trim: bool = False,
) -> VideoHash:
    """Hash a video file frame by frame (every frame, or ``fps`` frames per second)."""
    name = os.fspath(source)
    path = Path(source)
    require_file(path, name)
    if fps is not None and not fps > 0:
        raise InvalidInput(f"fps must be a positive number, got {fps}", code="bad_argument")
    try:
        container = av.open(str(path), mode="r")
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise InvalidInput(f"{name}: not a video that can be read ({exc})", code="not_a_video") from None
    with container:
        if not container.streams.video:
            raise InvalidInput(f"{name}: no video stream", code="not_a_video")
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        ctx = stream.codec_context
        width, height = int(ctx.width or 0), int(ctx.height or 0)
        if width <= 0 or height <= 0:
            raise InvalidInput(f"{name}: video stream has no frame size", code="corrupt_video")
        if width * height > max_pixels:
            raise InvalidInput(f"{name}: refused: {width}x{height} frames exceed the limit of "
                               f"{max_pixels:,} pixels", code="decompression_bomb")
        rate = _frame_rate(stream)
        if rate <= 0:
            raise InvalidInput(f"{name}: video frame rate is unknown or zero", code="corrupt_video")
        frame_mod = max(1, int(rate / fps)) if fps is not None else 1
        declared = int(stream.frames or 0)
        if declared == 0 and stream.duration and stream.time_base:
            declared = int(float(stream.duration * stream.time_base) * rate)
        if declared == 0 and container.duration and len(container.streams) == 1:
            # e.g. Matroska/WebM: only the container states a duration; with a single stream it is
            # the video's own, so a cut-off file still shows up as truncated.
            declared = int(container.duration / av.time_base * rate)
        frames: list[FrameHash] = []
        mirrored: list[FrameHash] | None = [] if mirror else None
        trimmed: list[FrameHash] | None = [] if trim else None
        trimmed_mirror: list[FrameHash] | None = [] if trim and mirror else None
        number = -1
        try:
            for frame in container.decode(stream):
                number += 1
                if number % frame_mod:
                    continue
                if frame.width * frame.height > max_pixels:  # a stream may change size midway
                    raise InvalidInput(f"{name}: refused: frame {number} is {frame.width}x{frame.height}, over "
                                       f"the limit of {max_pixels:,} pixels", code="decompression_bomb")
                out_w, out_h = _hash_size(frame.width, frame.height)
                if (frame.width, frame.height) == (out_w, out_h):
                    rgb = frame.to_ndarray(format="rgb24")
                else:
                    rgb = frame.reformat(width=out_w, height=out_h, format="rgb24", interpolation="AREA").to_ndarray()
                timestamp = number / rate
                if mirrored is None:
                    bits, quality = pdq.pdq_bits(rgb)
                    frames.append(FrameHash(number, int(quality), bits_to_hex(bits), timestamp))
                else:
                    hashes, quality = pdq.pdq_mirror_bits(rgb)
                    frames.append(FrameHash(number, int(quality), bits_to_hex(hashes[0]), timestamp))
                    mirrored.append(FrameHash(number, int(quality), bits_to_hex(hashes[1]), timestamp))
                if trimmed is not None:
                    _hash_trimmed(rgb, number, timestamp, frames[-1], mirrored[-1] if mirrored else None,
                                  trimmed, trimmed_mirror)
        except (av.error.FFmpegError, ValueError, MemoryError) as exc:
            raise InvalidInput(f"{name}: cannot decode video after {number + 1} frames ({exc})",
                               code="corrupt_video") from None
    decoded = number + 1
    if decoded == 0:
        raise InvalidInput(f"{name}: no decodable video frames (truncated or corrupt)", code="corrupt_video")
    if declared > 0 and decoded < declared * 0.9 - 1:
        raise InvalidInput(f"{name}: truncated video: decoded {decoded} of {declared} frames",
                           code="truncated_video")
    return VideoHash(frames, rate, width, height, mirrored, decoded,
                     trimmed_frames=trimmed, trimmed_mirror_frames=trimmed_mirror)


def _hash_trimmed(rgb: np.ndarray, number: int, timestamp: float, plain: FrameHash, plain_mirror: FrameHash | None,
                  trimmed: list[FrameHash], trimmed_mirror: list[FrameHash] | None) -> None:
    """Letterboxed re-uploads: the frame without its bars (the plain hash when it has none)."""
    from childsafe.media.edits import trim_frame

    inner = trim_frame(rgb)
    if inner is None:
        trimmed.append(plain)
        if trimmed_mirror is not None and plain_mirror is not None:
            trimmed_mirror.append(plain_mirror)
        return
    if trimmed_mirror is None:
        bits, quality = pdq.pdq_bits(inner)
        trimmed.append(FrameHash(number, int(quality), bits_to_hex(bits), timestamp))
    else:
        hashes, quality = pdq.pdq_mirror_bits(inner)
        trimmed.append(FrameHash(number, int(quality), bits_to_hex(hashes[0]), timestamp))
        trimmed_mirror.append(FrameHash(number, int(quality), bits_to_hex(hashes[1]), timestamp))
