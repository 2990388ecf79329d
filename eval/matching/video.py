"""Video part of the evaluation: mirrored and letterboxed re-uploads of drawn clips, vPDQ's two-way rule."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import av
from PIL import Image

from childsafe.media import hash_video, vpdq_match
from eval.matching.corpus import drawn_scene


def write_clip(path: Path, frames: list[Image.Image], fps: int = 10, codec: str = "libx264") -> Path:
    """Encode frames (all the same even size) to a short MP4; the tests make their clips with it too."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=fps)
        stream.width, stream.height = frames[0].size
        stream.pix_fmt = "yuv420p"
        for img in frames:
            for packet in stream.encode(av.VideoFrame.from_image(img)):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def _frames(seed: int, count: int = 30) -> list[Image.Image]:
    """Three drawn scenes, each drifting for ten frames."""
    frames = []
    for i in range(count):
        scene = drawn_scene(seed * 100 + i // 10, (360, 280))
        off = (i % 10) * 2
        frames.append(scene.crop((off, off, off + 320, off + 240)))
    return frames


def _bars(frame: Image.Image) -> Image.Image:
    canvas = Image.new("RGB", (320, 420), (0, 0, 0))
    canvas.paste(frame, (0, 90))
    return canvas


EDITS = {
    "re-encode (control)": lambda f: f,
    "mirror": lambda f: f.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
    "letterbox to 320x420": _bars,
    "mirror + letterbox": lambda f: _bars(f.transpose(Image.Transpose.FLIP_LEFT_RIGHT)),
}


def _matches(query, target_frames) -> tuple[bool, bool]:
    naive = vpdq_match(query.frames, target_frames).is_match()
    sets = [query.frames, query.mirror_frames, query.trimmed_frames, query.trimmed_mirror_frames]
    robust = any(vpdq_match(s, target_frames).is_match() for s in sets if s)
    return naive, robust


def evaluate(clips: int = 4) -> list[tuple[str, int, int, int]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        originals = []
        sources = []
        for c in range(clips):
            frames = _frames(50 + c)
            sources.append(frames)
            originals.append(hash_video(write_clip(tmpdir / f"orig{c}.mp4", frames)).frames)
        for name, edit in EDITS.items():
            naive = robust = 0
            for c, frames in enumerate(sources):
                path = write_clip(tmpdir / f"q{c}.mp4", [edit(f) for f in frames])
                query = hash_video(path, mirror=True, trim=True)
                n, r = _matches(query, originals[c])
                naive += n
                robust += r
            rows.append((name, clips, naive, robust))
            print(f"  video {name:<28} naive {naive}/{clips}  childsafe {robust}/{clips}", file=sys.stderr)
        wrong = 0
        for c, frames in enumerate(sources):
            query = hash_video(write_clip(tmpdir / f"x{c}.mp4", frames), mirror=True, trim=True)
            for d, target in enumerate(originals):
                if d != c:
                    wrong += _matches(query, target)[1]
        rows.append(("unrelated clip pairs matched", clips * (clips - 1), 0, wrong))
    return rows
