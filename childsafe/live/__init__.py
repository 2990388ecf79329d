"""Live-stream safety: watch streams as they happen, end known abuse, protect children who broadcast.

``LiveMonitor(matcher, banks=..., policy=..., classifier=..., actions=...)`` watches streams by URL
(HLS, RTMP, files: anything FFmpeg opens) on a thread each, or judges frames the platform pushes
(``push_frame``); every sampled frame becomes a :class:`Decision`.
"""

import logging

from childsafe.live.actions import ListActions, OutboxActions, child_nudge
from childsafe.live.decisions import ACTIONS, Decision
from childsafe.live.detectors import Detection, DetectorUnavailable, FrameClassifier, NudeNetClassifier
from childsafe.live.monitor import EvidenceFrame, LiveMonitor, LiveOptions, StreamWatch
from childsafe.live.window import RollingWindow, Sampler

__all__ = [
    "ACTIONS", "Decision", "Detection", "DetectorUnavailable", "EvidenceFrame", "FrameClassifier", "ListActions",
    "LiveMonitor", "LiveOptions", "NudeNetClassifier", "OutboxActions", "RollingWindow", "Sampler", "StreamWatch",
    "child_nudge",
]

logging.getLogger("childsafe.live").addHandler(logging.NullHandler())  # the app decides where logs go
