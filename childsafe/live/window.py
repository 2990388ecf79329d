"""When to look, and when what was seen counts: the sampler and the rolling window.

A single frame that happens to sit near a banked hash (or a single classifier blip) is noise; a
*segment* is not. ``RollingWindow`` says yes when ``k`` of the last ``n`` sampled frames hit.
``Sampler`` takes a frame every ``1/fps`` seconds of stream time, and every ``1/boost_fps`` for a
while after something raises the risk (one hit, or a scene change), so a real segment is confirmed
within a fraction of a second instead of ``k`` seconds.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from childsafe.errors import InvalidInput


class RollingWindow:
    """The last ``n`` yes/no results; ``triggered`` when at least ``k`` of them are yes."""

    def __init__(self, k: int = 2, n: int = 3) -> None:
        if not (isinstance(k, int) and isinstance(n, int) and 1 <= k <= n <= 1000):
            raise InvalidInput(f"window needs 1 <= k <= n <= 1000, got k={k}, n={n}", code="bad_argument")
        self.k, self.n = k, n
        self._hits: deque[bool] = deque(maxlen=n)

    def push(self, hit: bool) -> bool:
        self._hits.append(bool(hit))
        return self.triggered

    @property
    def count(self) -> int:
        return sum(self._hits)

    @property
    def triggered(self) -> bool:
        return self.count >= self.k

    def clear(self) -> None:
        self._hits.clear()


@dataclass
class Sampler:
    """Chooses frames by their presentation time, so sampling is the same whatever the frame rate."""

    fps: float = 1.0
    boost_fps: float = 4.0
    boost_seconds: float = 5.0
    scene_threshold: float = 30.0
    """Mean absolute difference (0-255) of 16x16 grey thumbnails above which the scene changed."""

    def __post_init__(self) -> None:
        for name in ("fps", "boost_fps"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and 0 < value <= 60):
                raise InvalidInput(f"{name} must be in (0, 60] frames a second, got {value!r}", code="bad_argument")
        self.boost_fps = max(self.boost_fps, self.fps)
        self._next: float | None = None
        self._boost_until = float("-inf")
        self._last_thumb: np.ndarray | None = None

    def boosted(self, t: float) -> bool:
        return t < self._boost_until

    def interval(self, t: float) -> float:
        return 1.0 / (self.boost_fps if self.boosted(t) else self.fps)

    def due(self, t: float) -> bool:
        return self._next is None or t >= self._next - 1e-3

    def taken(self, t: float) -> None:
        """Schedule the next frame on a grid, so frame-rate jitter does not make sampling drift late."""
        step = self.interval(t)
        base = self._next if self._next is not None and 0 <= t - self._next < step else t
        self._next = base + step

    def boost(self, t: float) -> None:
        """Look more often for a while (risk rose); the next frame is due at the faster rate."""
        self._boost_until = t + self.boost_seconds
        if self._next is not None:
            self._next = min(self._next, t + 1.0 / self.boost_fps)

    def scene_changed(self, thumb: np.ndarray) -> bool:
        """Compare a frame's grey thumbnail with the last sampled one (cheap: 256 pixels)."""
        last, self._last_thumb = self._last_thumb, thumb
        if last is None or last.shape != thumb.shape:
            return False
        return float(np.abs(thumb.astype(np.int16) - last.astype(np.int16)).mean()) > self.scene_threshold
