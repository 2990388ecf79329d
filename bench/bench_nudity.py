"""The optional nudity detector (NudeNet, ``pip install 'childsafe[nudity]'``) on benign frames only.

What is measured: how often it reports exposed nudity on benign pictures (every photo in the
reference media and one frame a second of the reference videos: chairs, a doorknob, bridges,
everyday scenes) — each such report would pause a child's stream by mistake — and how long one
frame takes on one core, against the PDQ hash the monitor computes for every sampled frame.
No nude imagery is used or fetched: recall cannot be and is not measured here.

NudeNet is not part of the default install (its licence is disputed: AGPL-3.0 versus MIT); without
it this prints that it was skipped. Run: ``python -m bench nudity``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))


def _frames() -> list[tuple[str, np.ndarray]]:
    import av
    from conftest import reference_media_dir

    from childsafe.media import load_image

    root = reference_media_dir()
    out = []
    for path in sorted((root / "pdq").rglob("*")):
        if path.suffix.lower() in (".jpg", ".jpeg", ".png"):
            try:
                out.append((path.name, np.asarray(load_image(path).convert("RGB"))))
            except Exception:  # noqa: BLE001 - a deliberately odd test image: not a frame
                continue
    for path in sorted((root / "vpdq" / "videos").glob("*.mp4")):
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            step = max(1, int(round(float(stream.average_rate or 30))))
            for n, frame in enumerate(container.decode(stream)):
                if n % step == 0:
                    out.append((f"{path.name}@{n}", frame.to_ndarray(format="rgb24")))
    return out


def main() -> None:
    try:
        from childsafe.live import NudeNetClassifier

        classifier = NudeNetClassifier()
    except Exception as exc:  # noqa: BLE001 - the extra is optional
        print(f"skipped: {exc}")
        return
    import pdqhash

    cpus = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpus[-1]})
    try:
        frames = _frames()
        classifier.classify(frames[0][1])  # load the model outside the timing
        flagged, times, hash_times = [], [], []
        any_label = 0
        for name, rgb in frames:
            c0 = time.process_time()
            found = classifier.classify(rgb)
            times.append(time.process_time() - c0)
            raw = classifier._detector.detect(np.ascontiguousarray(rgb[:, :, ::-1]))
            any_label += bool(raw)
            if found:
                flagged.append((name, [d.to_dict() for d in found]))
            c0 = time.process_time()
            pdqhash.compute(np.ascontiguousarray(rgb))
            hash_times.append(time.process_time() - c0)
    finally:
        os.sched_setaffinity(0, set(cpus))
    ms = sorted(t * 1000 for t in times)
    print(f"NudeNet on {len(frames)} benign frames (reference photos + 1 frame/s of the reference videos), one core")
    print(f"  frames flagged as exposed nudity (score >= {classifier.min_score}): {len(flagged)} "
          f"({100 * len(flagged) / len(frames):.1f}%)")
    for name, found in flagged[:10]:
        print(f"    {name}: {found}")
    print(f"  frames with any NudeNet label at all (faces, covered classes): {any_label}")
    print(f"  CPU per frame p50 / p95: {ms[len(ms) // 2]:.1f} / {ms[int(0.95 * (len(ms) - 1))]:.1f} ms")
    per_hash = sorted(hash_times)[len(hash_times) // 2] * 1000
    print(f"  PDQ hash of the same frames p50: {per_hash:.1f} ms")
    print(f"ratio detector / PDQ cost per frame: {ms[len(ms) // 2] / max(per_hash, 1e-6):.1f}x")
    print(f"ratio 1-fps streams one core could run the detector on vs the 50-stream target: "
          f"{1000 / ms[len(ms) // 2] / 50:.2f}x ({1000 / ms[len(ms) // 2]:.0f} streams)")


if __name__ == "__main__":
    main()
