"""Frame classifiers: the small interface a nudity detector sits behind.

The monitor only knows ``FrameClassifier.classify(frame) -> list[Detection]``; which labels count
as a detection is the classifier's business. NudeNet is one implementation, shipped as the optional
extra ``childsafe[nudity]`` because its licence is disputed (the package says MIT, the model's
origin and earlier releases say AGPL-3.0); the default install carries no detector.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from childsafe.errors import ChildsafeError


@dataclass(frozen=True)
class Detection:
    """One thing a classifier found in a frame, with its confidence in [0, 1]."""

    label: str
    score: float

    def to_dict(self) -> dict:
        return {"label": self.label, "score": round(float(self.score), 4)}


@runtime_checkable
class FrameClassifier(Protocol):
    """Anything that looks at an RGB frame (h, w, 3 uint8) and says what it sees that matters."""

    def classify(self, frame: np.ndarray) -> list[Detection]: ...


class DetectorUnavailable(ChildsafeError):
    code = "detector_unavailable"


# NudeNet 3.x class names that mean exposed nudity; covered and face classes are not detections.
NUDENET_EXPOSED = frozenset({
    "FEMALE_GENITALIA_EXPOSED",
    "MALE_GENITALIA_EXPOSED",
    "FEMALE_BREAST_EXPOSED",
    "BUTTOCKS_EXPOSED",
    "ANUS_EXPOSED",
})


class NudeNetClassifier:
    """NudeNet's ONNX detector (``pip install childsafe[nudity]``); only exposed-nudity classes count."""

    def __init__(self, *, min_score: float = 0.5, labels: frozenset[str] = NUDENET_EXPOSED) -> None:
        try:
            from nudenet import NudeDetector
        except ImportError:
            raise DetectorUnavailable(
                "the nudity detector needs the optional extra: pip install 'childsafe[nudity]' "
                "(NudeNet; note its licence is disputed, AGPL-3.0 versus MIT)") from None
        self._detector = NudeDetector()
        self._lock = threading.Lock()  # one ONNX session, shared by the streams' threads
        self.min_score = min_score
        self.labels = labels

    def classify(self, frame: np.ndarray) -> list[Detection]:
        bgr = np.ascontiguousarray(frame[:, :, ::-1])  # NudeNet reads arrays the OpenCV way
        with self._lock:
            found = self._detector.detect(bgr)
        return [Detection(d["class"], float(d["score"])) for d in found
                if d.get("class") in self.labels and float(d.get("score", 0)) >= self.min_score]
