"""Watching live streams: decode only what is needed, hash sampled frames, match, decide, act.

One ``LiveMonitor`` watches many streams, one thread each: PyAV releases the GIL while FFmpeg
demuxes and decodes, and when the stream's keyframes come at least as often as frames are sampled
only keyframes are decoded at all (other packets are dropped unparsed, and the decoder is drained
and emptied after each keyframe), which is what lets one core watch dozens of streams. Each sampled frame is PDQ-hashed (as is the frame with its bars trimmed, as video
hashing does) and looked up in the pdq banks; a rolling window turns hits into a *segment* before
the stream is ended. When the broadcaster is a child (or of unknown age), a ``FrameClassifier``
also looks at the sampled frames. Every problem (a URL that does not answer, a stall, corrupt data,
an unknown codec, frames far too large, a pushed frame that is not an image) becomes a ``Decision``
with an error code; it never escapes the stream's thread.
"""

from __future__ import annotations

import io
import logging
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Protocol, Sequence

import numpy as np

from childsafe.errors import ChildsafeError, Conflict, InvalidInput, NotFound
from childsafe.index.codec import bits_to_hex
from childsafe.live.decisions import ENDED, ERROR, NO_ACTION, Decision, error_decision
from childsafe.live.detectors import Detection, FrameClassifier
from childsafe.live.window import RollingWindow, Sampler
from childsafe.media.pdq import pdq_bits

log = logging.getLogger("childsafe.live")

HASH_MAX_SIDE = 960  # pushed images are scaled to this, as image and video hashing do
LIVE_HASH_SIDE = 512
"""Decoded stream frames are scaled so their longer side is at most this before PDQ: six times less work
for 720p, at a cost of 2-14 bits of distance to full-size hashes on the reference clips (docs/live.md)."""
DEFAULT_MAX_PIXELS = 33_177_600  # 8K UHD; a live frame beyond it is refused
MIN_QUALITY = 50  # vPDQ's rule: flatter frames (fades, black) are not matched
MAX_CONSECUTIVE_DECODE_ERRORS = 50
CHILD_NUDGE_KIND = "photo_camera_request"  # the closest nudge kind: "you never have to go on camera or go live"


@dataclass
class EvidenceFrame:
    """A frame that contributed to a decision, kept (as JPEG) only while it is in the window."""

    frame_time: float | None
    jpeg: bytes
    pdq: str | None
    reason: str


class ActionSink(Protocol):
    """Where decided actions go (the service's outbox, a test's list)."""

    def handle(self, watch: "StreamWatch", decision: Decision, evidence: Sequence[EvidenceFrame]) -> None: ...


@dataclass
class LiveOptions:
    fps: float = 1.0
    boost_fps: float = 4.0
    boost_seconds: float = 5.0
    window_k: int = 2
    window_n: int = 3
    nudity_k: int = 1
    nudity_n: int = 2
    threshold: int = 31
    min_quality: int = MIN_QUALITY
    trim: bool = True
    max_pixels: int = DEFAULT_MAX_PIXELS
    open_timeout: float = 10.0
    read_timeout: float = 10.0
    stop_on_terminate: bool = True
    hash_side: int = LIVE_HASH_SIDE
    keyframes_only: bool = True
    """Decode only keyframes while they come at least as often as frames are sampled (off: every frame)."""
    realtime: bool = False
    """Pace files by their timestamps, as if they were live (URLs of live streams pace themselves)."""
    max_errors_kept: int = 20
    protocol_whitelist: str | None = None
    """FFmpeg protocols a URL (and the segments it names) may use; the HTTP API allows network ones only."""


@dataclass
class StreamWatch:
    """One stream's state: who is on it, its sampler and windows, and what has happened so far."""

    id: str
    url: str | None
    banks: list[str] | None
    broadcaster: object | None
    viewers: list
    child_broadcaster: bool
    detector_on: bool
    sampler: Sampler
    matches: RollingWindow
    nudity: RollingWindow
    options: LiveOptions
    status: str = "watching"  # watching | paused | terminated | ended | error | stopped
    frames_sampled: int = 0
    frames_decoded: int = 0
    decisions: int = 0
    pauses: int = 0
    last_decision: Decision | None = None
    errors: deque = field(default_factory=lambda: deque(maxlen=20))
    evidence: deque = field(default_factory=lambda: deque(maxlen=8))
    decode_mode: str = "all"
    strangers_watching: bool = False
    trim: tuple[int, int, int, int] | None = None
    trim_checked: int = -1
    lag: float = 0.0
    """Realtime pacing: how far the latest decoded frame was behind the wall clock (seconds)."""
    max_lag: float = 0.0
    key_interval: float | None = None
    started_at: float = field(default_factory=time.time)
    stop_event: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def active(self) -> bool:
        return self.status in ("watching", "paused")

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "url": self.url,
            "status": self.status,
            "banks": self.banks,
            "child_broadcaster": self.child_broadcaster,
            "detector": "on" if self.detector_on else "off",
            "viewers": len(self.viewers),
            "strangers_watching": self.strangers_watching,
            "sample_fps": self.sampler.fps,
            "frames_decoded": self.frames_decoded,
            "frames_sampled": self.frames_sampled,
            "decode_mode": self.decode_mode,
            "lag_seconds": round(self.lag, 3),
            "keyframe_interval": self.key_interval,
            "pauses": self.pauses,
            "last_decision": self.last_decision.to_dict() if self.last_decision else None,
            "errors": [dict(e) for e in self.errors],
        }


def _hash_size(width: int, height: int, side: int = HASH_MAX_SIDE) -> tuple[int, int]:
    longer = max(width, height)
    if longer <= side:
        return width, height
    scale = side / longer
    return max(1, round(width * scale)), max(1, round(height * scale))


def _jpeg(rgb: np.ndarray) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "JPEG", quality=90)
    return buf.getvalue()


def _thumb(rgb: np.ndarray) -> np.ndarray:
    """A 16x16 grey thumbnail by block means: the cheap scene-change measure."""
    h, w = rgb.shape[:2]
    ys = (np.arange(16) * h) // 16
    xs = (np.arange(16) * w) // 16
    return rgb[ys][:, xs].mean(axis=2).astype(np.uint8)


class LiveMonitor:
    """Watches streams (by URL, or frames pushed by the platform) against the pdq banks.

    ``matcher``: a :class:`childsafe.banks.Matcher` (anything with ``match_hashes(hexes, banks,
    threshold)``). ``policy``: a :class:`childsafe.policy.PolicyEngine`, used to decide whether the
    broadcaster is treated as a child (then ``classifier`` runs on sampled frames). ``actions``: an
    :class:`ActionSink` that turns actions into webhooks and cases. ``on_decision`` sees every
    decision (the CLI prints them).
    """

    def __init__(self, matcher, *, banks: Sequence[str] | None = None, policy=None,
                 classifier: FrameClassifier | None = None, actions: ActionSink | None = None,
                 options: LiveOptions | None = None, on_decision: Callable[[Decision], None] | None = None,
                 max_streams: int = 1000) -> None:
        self.matcher = matcher
        self.banks = list(banks) if banks else None
        self.policy = policy
        self.classifier = classifier
        self.actions = actions
        self.options = options or LiveOptions()
        self.on_decision = on_decision
        self.max_streams = max_streams
        self._streams: dict[str, StreamWatch] = {}
        self._lock = threading.Lock()
        if matcher is not None and self.banks and hasattr(matcher, "check_banks"):
            matcher.check_banks(self.banks)

    # ---- streams -------------------------------------------------------------------------

    def _is_child(self, person) -> bool:
        if person is None:
            return True  # nobody said who is broadcasting: unknown age is treated as a child
        if self.policy is None:
            age = getattr(person, "age", None)
            return age is None or age < 18
        return self.policy.standing(person)["treated_as"] == "child"

    def open(self, stream_id: str | None = None, *, url: str | None = None, broadcaster=None, viewers: Iterable = (),
             banks: Sequence[str] | None = None, options: LiveOptions | None = None) -> StreamWatch:
        """Register a stream (without starting a thread): pushed frames, or ``run``/``watch`` later."""
        stream_id = stream_id or f"stream_{uuid.uuid4().hex[:12]}"
        if not isinstance(stream_id, str) or not 0 < len(stream_id) <= 200:
            raise InvalidInput("a stream id is 1 to 200 characters", code="bad_stream_id")
        opts = options or self.options
        banks = list(banks) if banks else self.banks
        if banks and self.matcher is not None and hasattr(self.matcher, "check_banks"):
            self.matcher.check_banks(banks)
        child = self._is_child(broadcaster)
        watch = StreamWatch(
            id=stream_id, url=url, banks=banks, broadcaster=broadcaster, viewers=list(viewers),
            child_broadcaster=child, detector_on=child and self.classifier is not None,
            sampler=Sampler(opts.fps, opts.boost_fps, opts.boost_seconds),
            matches=RollingWindow(opts.window_k, opts.window_n), nudity=RollingWindow(opts.nudity_k, opts.nudity_n),
            options=opts,
        )
        self._apply_viewers(watch)
        watch.errors = deque(maxlen=opts.max_errors_kept)
        watch.evidence = deque(maxlen=max(opts.window_n, opts.nudity_n) * 2)
        with self._lock:
            old = self._streams.get(stream_id)
            if old is not None and old.active:
                raise Conflict(f"stream {stream_id!r} is already being watched", code="stream_exists")
            live = sum(1 for w in self._streams.values() if w.active)
            if live >= self.max_streams:
                raise InvalidInput(f"already watching {live} streams (limit {self.max_streams})",
                                   code="too_many_streams")
            if len(self._streams) >= self.max_streams * 2:  # forget finished streams first
                for key in [k for k, w in self._streams.items() if not w.active][: self.max_streams]:
                    del self._streams[key]
            self._streams[stream_id] = watch
        if child and self.classifier is None:
            log.info("child or unknown-age broadcaster but no nudity detector configured",
                     extra={"stream": stream_id})
        return watch

    def _stranger(self, watch: StreamWatch, viewer) -> bool:
        person, connected = viewer if isinstance(viewer, tuple) else (viewer, False)
        if self.policy is not None:
            from childsafe.policy import Context, Person

            decision = self.policy.check("comment_live", person or Person(), watch.broadcaster or Person(),
                                         Context(connected=bool(connected)))
            return not decision.allowed
        return not connected

    def _apply_viewers(self, watch: StreamWatch) -> None:
        """On a child's stream, viewers the policy would keep from interacting (strangers) raise the
        sampling rate to twice the base (capped at the boosted rate): more eyes where the risk is."""
        strangers = watch.child_broadcaster and any(self._stranger(watch, v) for v in watch.viewers)
        base = watch.options.fps
        watch.sampler.fps = min(watch.options.boost_fps, base * 2) if strangers else base
        watch.strangers_watching = strangers

    def set_viewers(self, stream_id: str, viewers: Iterable) -> StreamWatch:
        """Who is watching now: people (policy ``Person``), or ``(person, connected)`` pairs."""
        watch = self.get(stream_id)
        with watch.lock:
            watch.viewers = list(viewers)
            self._apply_viewers(watch)
        return watch

    def get(self, stream_id: str) -> StreamWatch:
        watch = self._streams.get(stream_id)
        if watch is None:
            raise NotFound(f"no stream {stream_id!r}", code="unknown_stream")
        return watch

    def streams(self) -> list[StreamWatch]:
        return list(self._streams.values())

    def watch(self, url: str, stream_id: str | None = None, **kwargs) -> StreamWatch:
        """Start watching ``url`` on a thread of its own; decisions go to ``on_decision``/``actions``."""
        watch = self.open(stream_id, url=url, **kwargs)
        thread = threading.Thread(target=self._drain, args=(watch,), name=f"live-{watch.id}", daemon=True)
        watch.thread = thread
        thread.start()
        return watch

    def _drain(self, watch: StreamWatch) -> None:
        try:
            for _ in self._watch_url(watch):
                pass
        except Exception as exc:  # a bug must still not take the service down
            log.exception("live stream thread failed", extra={"stream": watch.id})
            watch.status = "error"
            self._emit(watch, error_decision(watch.id, "internal_error", f"{type(exc).__name__}: {exc}"))

    def run(self, url: str, stream_id: str | None = None, **kwargs) -> Iterator[Decision]:
        """Watch ``url`` in this thread, yielding each decision until the stream ends."""
        watch = self.open(stream_id or url, url=url, **kwargs)
        yield from self._watch_url(watch)

    def stop(self, stream_id: str, *, wait: float = 5.0) -> StreamWatch:
        watch = self.get(stream_id)
        watch.stop_event.set()
        if watch.thread is not None and watch.thread is not threading.current_thread():
            watch.thread.join(timeout=wait)
        if watch.active:
            watch.status = "stopped"
        return watch

    def close(self) -> None:
        for watch in self.streams():
            watch.stop_event.set()
        for watch in self.streams():
            if watch.thread is not None:
                watch.thread.join(timeout=5)

    # ---- decisions -----------------------------------------------------------------------

    def _emit(self, watch: StreamWatch, decision: Decision) -> Decision:
        watch.last_decision = decision
        watch.decisions += 1
        if decision.error is not None:
            watch.errors.append({"code": decision.error["code"], "message": decision.error["message"],
                                 "frame_time": decision.frame_time, "at": time.time()})
            log.warning("live stream problem", extra={"stream": watch.id, "code": decision.error["code"]})
        if self.on_decision is not None:
            try:
                self.on_decision(decision)
            except Exception:
                log.exception("on_decision callback failed", extra={"stream": watch.id})
        return decision

    def _match(self, watch: StreamWatch, hexes: list[str]) -> list[dict]:
        if self.matcher is None or not hexes:
            return []
        results = self.matcher.match_hashes(hexes, watch.banks, watch.options.threshold)
        best: dict[tuple[str, int], dict] = {}
        for result in results:
            for m in result.matches:
                if m.signal_type != "pdq":
                    continue
                key = (m.bank, m.entry_id)
                if key not in best or m.distance < best[key]["distance"]:
                    best[key] = {"bank": m.bank, "distance": int(m.distance), "labels": list(m.labels),
                                 "entry_id": m.entry_id}
        return sorted(best.values(), key=lambda d: (d["distance"], d["bank"], d["entry_id"]))

    @staticmethod
    def _trim_box(watch: StreamWatch, rgb: np.ndarray, scene: bool) -> tuple[int, int, int, int] | None:
        """The frame's bars (`frame_bars`, as video hashing finds them), found again only every 10th
        sampled frame or after a scene change: a stream's letterbox rarely changes, and finding it
        costs more than hashing."""
        if scene or watch.trim_checked < 0 or watch.frames_sampled - watch.trim_checked >= 10 \
                or (watch.trim is not None and (watch.trim[2] > rgb.shape[1] or watch.trim[3] > rgb.shape[0])):
            from childsafe.media.edits import frame_bars

            box = frame_bars(rgb)  # never the whole frame: None when it has no bars
            watch.trim = None if box is None or min(box[2] - box[0], box[3] - box[1]) < 16 \
                else tuple(int(v) for v in box)
            watch.trim_checked = watch.frames_sampled
        return watch.trim

    def judge(self, watch: StreamWatch, *, frame_time: float | None, rgb: np.ndarray | None = None,
              pdq: str | None = None, quality: int | None = None, started: float | None = None,
              picture: Callable[[], np.ndarray] | None = None) -> Decision:
        """Decide about one sampled frame (decoded ``rgb``, or a ``pdq`` hash the platform computed)."""
        started = time.perf_counter() if started is None else started
        decoded_at = time.time() - (time.perf_counter() - started)
        opts = watch.options
        t = frame_time if frame_time is not None else time.monotonic() - watch.started_at
        scene = False
        hexes: list[str] = []
        if rgb is not None:
            bits, q = pdq_bits(rgb)
            pdq, quality = bits_to_hex(bits), int(q)
            scene = watch.sampler.scene_changed(_thumb(rgb))
            if quality >= opts.min_quality:
                hexes.append(pdq)
                box = self._trim_box(watch, rgb, scene) if opts.trim else None
                if box is not None:
                    x0, y0, x1, y1 = box
                    bits2, q2 = pdq_bits(rgb[y0:y1, x0:x1])
                    if q2 >= opts.min_quality:
                        hexes.append(bits_to_hex(bits2))
        elif pdq is not None and (quality is None or quality >= opts.min_quality):
            hexes.append(pdq)
        matches = self._match(watch, hexes)
        detections: list[Detection] = []
        if watch.detector_on and rgb is not None and watch.status == "watching":
            detections = list(self.classifier.classify(rgb))
        with watch.lock:
            watch.frames_sampled += 1
            if matches or detections or scene:
                watch.sampler.boost(t)
            decision = Decision(stream=watch.id, frame_time=frame_time, matches=matches,
                                detections=[d.to_dict() for d in detections], pdq=pdq, quality=quality,
                                scene_change=scene, boosted=watch.sampler.boosted(t), decoded_at=decoded_at)
            if (matches or detections) and rgb is not None:
                why = "known_media" if matches else "nudity"
                watch.evidence.append(EvidenceFrame(frame_time, _jpeg(picture() if picture else rgb), pdq, why))
            segment = watch.matches.push(bool(matches))
            nudity = watch.nudity.push(bool(detections)) if watch.detector_on else False
            if segment and watch.status != "terminated":
                decision.actions = ["terminate_stream", "alert_moderator"]
                decision.reason = (f"known media: {watch.matches.count} of the last {watch.matches.n} sampled frames "
                                   f"match the banks")
                watch.status = "terminated"
            elif nudity and watch.status == "watching":
                again = watch.pauses > 0
                decision.actions = (["terminate_stream"] if again else ["pause_stream"]) + \
                    ["nudge_broadcaster", "alert_moderator"]
                decision.reason = (f"nudity detected on the stream of a broadcaster treated as a child "
                                   f"({watch.nudity.count} of the last {watch.nudity.n} frames)"
                                   + ("; detected again after a pause" if again else ""))
                watch.pauses += 1
                watch.status = "terminated" if again else "paused"
                watch.nudity.clear()
            decision.action = decision.actions[0] if decision.actions else NO_ACTION
            if decision.actions:
                # With the status it sets: a reader of the stream never sees "terminated" or "paused"
                # beside the decision before (recording the actions below takes a while).
                watch.last_decision = decision
            evidence = list(watch.evidence) if decision.actions else []
            if watch.status == "terminated":
                watch.evidence.clear()  # handed to the case; nothing of the stream's content stays here
        if decision.actions and self.actions is not None:
            try:
                self.actions.handle(watch, decision, evidence)
            except Exception as exc:  # noqa: BLE001 - the decision stands and is reported even if recording fails
                log.exception("recording live actions failed", extra={"stream": watch.id})
                decision.error = {"code": "action_failed",
                                  "message": f"the actions could not be recorded ({type(exc).__name__}): {exc}"}
        decision.latency_ms = (time.perf_counter() - started) * 1000
        return self._emit(watch, decision)

    def resume(self, stream_id: str) -> StreamWatch:
        """The platform (a moderator) let a paused stream go on: watch it again."""
        watch = self.get(stream_id)
        with watch.lock:
            if watch.status == "paused":
                watch.status = "watching"
        return watch

    def push_frame(self, stream_id: str, *, image: bytes | None = None, pdq: str | None = None,
                   quality: int | None = None, frame_time: float | None = None) -> Decision:
        """A frame the platform sampled itself: image bytes (decoded safely) or a precomputed PDQ hash."""
        started = time.perf_counter()
        watch = self._streams.get(stream_id) or self.open(stream_id)
        if not watch.active:
            return self._emit(watch, error_decision(stream_id, "stream_not_active",
                                                    f"stream {stream_id!r} is {watch.status}", frame_time=frame_time))
        if (image is None) == (pdq is None):
            raise InvalidInput("push either an image or a pdq hash", code="bad_frame")
        rgb = None
        if image is not None:
            from childsafe.media import load_image

            try:
                img = load_image(image, max_pixels=watch.options.max_pixels)
            except InvalidInput as exc:
                return self._emit(watch, error_decision(stream_id, exc.code if exc.code != "invalid_input"
                                                        else "not_an_image", exc.message, frame_time=frame_time))
            if max(img.size) > HASH_MAX_SIDE:
                img = img.resize(_hash_size(*img.size))
            rgb = np.ascontiguousarray(np.asarray(img.convert("RGB")))
        else:
            from childsafe.index.codec import normalise_hex

            pdq = normalise_hex(pdq.strip().lower(), "pdq", where="pdq")
        return self.judge(watch, frame_time=frame_time, rgb=rgb, pdq=pdq, quality=quality, started=started)

    # ---- URLs ----------------------------------------------------------------------------

    def _watch_url(self, watch: StreamWatch) -> Iterator[Decision]:
        import av

        opts = watch.options
        url = watch.url or ""
        av_options = {"rw_timeout": str(int(opts.read_timeout * 1_000_000))}
        if opts.protocol_whitelist:
            av_options["protocol_whitelist"] = opts.protocol_whitelist
        try:
            container = av.open(url, mode="r", timeout=(opts.open_timeout, opts.read_timeout), options=av_options)
        except Exception as exc:  # noqa: BLE001 - every way a URL can fail is reported, none escapes
            watch.status = "error"
            yield self._emit(watch, error_decision(watch.id, *_open_error(exc)))
            return
        with container:
            yield from self._decode(watch, container)

    def _decode(self, watch: StreamWatch, container) -> Iterator[Decision]:
        import av

        opts = watch.options
        if not container.streams.video:
            watch.status = "error"
            yield self._emit(watch, error_decision(watch.id, "no_video", "the stream has no video"))
            return
        stream = container.streams.video[0]
        try:
            ctx = stream.codec_context
            if ctx is None:
                raise ValueError("no decoder")
            ctx.thread_count = 1  # one core for many streams: no decoder thread pools
            ctx.thread_type = "SLICE"
            width, height = int(ctx.width or 0), int(ctx.height or 0)
        except Exception as exc:  # noqa: BLE001
            watch.status = "error"
            yield self._emit(watch, error_decision(watch.id, "unsupported_codec",
                                                   f"FFmpeg cannot decode this stream's video ({exc})"))
            return
        if width * height > opts.max_pixels:
            watch.status = "error"
            yield self._emit(watch, error_decision(
                watch.id, "frame_too_large", f"frames of {width}x{height} exceed the limit of {opts.max_pixels:,} pixels"))
            return
        time_base = float(stream.time_base) if stream.time_base else 0.0
        pace_start: tuple[float, float] | None = None
        last_key: float | None = None
        decode_errors = 0
        packets = 0
        last_packet = time.monotonic()
        got_frame = False
        try:
            for packet in container.demux(stream):
                if watch.stop_event.is_set() or not watch.active:
                    break
                if packet.size == 0:
                    continue
                packets += 1
                last_packet = time.monotonic()
                t = packet.pts * time_base if packet.pts is not None and time_base else None
                if packet.is_keyframe and t is not None:
                    if last_key is not None and t > last_key:
                        gap = t - last_key
                        watch.key_interval = gap if watch.key_interval is None else min(gap, 0.8 * watch.key_interval + 0.2 * gap)
                    last_key = t
                    # decode only keyframes while they come at least as often as frames are sampled;
                    # switch only at a keyframe, so a decoder never starts from a missing reference
                    # Until a second keyframe shows the interval, assume keyframes suffice (live encoders
                    # send one every 1-2 s): decoding a whole first GOP of every new stream would make
                    # streams starting together a burst of work. A longer GOP costs only its first samples.
                    keyframes_only = opts.keyframes_only and (watch.key_interval is None
                                                              or watch.key_interval <= watch.sampler.interval(t) * 1.05)
                    watch.decode_mode = "keyframes" if keyframes_only else "all"
                keyframes_only = watch.decode_mode == "keyframes"
                if keyframes_only and not packet.is_keyframe:
                    continue  # never even parsed (nor waited for, when pacing a file)
                if opts.realtime and t is not None:
                    now = time.monotonic()
                    if pace_start is None:
                        pace_start = (now, t)
                    ahead = (t - pace_start[1]) - (now - pace_start[0])
                    watch.lag = max(0.0, -ahead)
                    watch.max_lag = max(watch.max_lag, watch.lag)
                    if ahead > 0.002:
                        if watch.stop_event.wait(ahead):
                            break
                try:
                    frames = ctx.decode(packet)
                    if keyframes_only:
                        # a keyframe stands alone: take it out now (no reordering delay) and let the
                        # decoder drop every buffer it held, which keeps its memory to one frame or so
                        frames = list(frames) + ctx.decode(None)
                        ctx.flush_buffers()
                    decode_errors = 0
                except av.error.FFmpegError as exc:
                    decode_errors += 1
                    if decode_errors == 1:
                        yield self._emit(watch, error_decision(watch.id, "corrupt_data",
                                                               f"undecodable data at {t}: {exc}", frame_time=t))
                    if decode_errors >= MAX_CONSECUTIVE_DECODE_ERRORS:
                        watch.status = "error"
                        yield self._emit(watch, error_decision(
                            watch.id, "corrupt_stream", f"{decode_errors} packets in a row could not be decoded"))
                        return
                    continue
                for frame in frames:
                    yield from self._frame(watch, frame, time_base)
                    got_frame = True
            else:
                for frame in _flush(ctx):
                    yield from self._frame(watch, frame, time_base)
                    got_frame = True
        except (av.error.ExitError, av.error.TimeoutError) as exc:
            watch.status = "error"
            code = "stream_stalled" if packets else "stream_timeout"
            yield self._emit(watch, error_decision(watch.id, code, f"no data for {opts.read_timeout:g} s ({exc})"))
            return
        except _FrameTooLarge as exc:
            watch.status = "error"
            yield self._emit(watch, error_decision(watch.id, "frame_too_large", str(exc)))
            return
        except av.error.FFmpegError as exc:
            watch.status = "error"
            yield self._emit(watch, error_decision(watch.id, "stream_error", f"reading the stream failed: {exc}"))
            return
        except OSError as exc:
            watch.status = "error"
            yield self._emit(watch, error_decision(watch.id, "stream_error", f"reading the stream failed: {exc}"))
            return
        if not watch.stop_event.is_set() and watch.status in ("watching", "paused") \
                and time.monotonic() - last_packet >= opts.read_timeout * 0.9:
            # a live HLS playlist that stops growing (the encoder died without ending it) reads as an
            # end once FFmpeg gives up reloading; no data for a read timeout is a stall, not an end
            watch.status = "error"
            yield self._emit(watch, error_decision(
                watch.id, "stream_stalled", f"no new data for {time.monotonic() - last_packet:.1f} s; the stream "
                f"stopped without ending"))
            return
        watch.evidence.clear()
        if watch.stop_event.is_set() and watch.status in ("watching", "paused"):
            watch.status = "stopped"
        elif watch.status in ("watching", "paused"):
            watch.status = "ended"
        end = Decision(stream=watch.id, frame_time=None, action=ENDED,
                       reason=f"{watch.status}: {watch.frames_decoded} frames decoded, {watch.frames_sampled} sampled"
                       + ("" if got_frame else "; no frame could be decoded"))
        if not got_frame and watch.status == "ended":
            end.error = {"code": "no_frames", "message": "the stream ended before any frame could be decoded"}
        yield self._emit(watch, end)

    def _frame(self, watch: StreamWatch, frame, time_base: float) -> Iterator[Decision]:
        started = time.perf_counter()
        watch.frames_decoded += 1
        # the stream's time base, not frame.time: a drained decoder hands back frames without one
        t = frame.pts * time_base if frame.pts is not None and time_base else None
        if t is None or t != t:
            t = watch.frames_decoded / 30.0
        if not watch.sampler.due(t) or not watch.active:
            return
        opts = watch.options
        if frame.width * frame.height > opts.max_pixels:  # a stream can change size midway
            raise _FrameTooLarge(f"frame at {t:.2f} s is {frame.width}x{frame.height}, over the limit of "
                                 f"{opts.max_pixels:,} pixels")
        watch.sampler.taken(t)
        out_w, out_h = _hash_size(frame.width, frame.height, opts.hash_side)

        def picture() -> np.ndarray:
            return frame.reformat(width=out_w, height=out_h, format="rgb24", interpolation="AREA").to_ndarray()

        if watch.detector_on:
            pixels = np.ascontiguousarray(picture())
        else:
            # PDQ looks only at luminance, and its median threshold ignores the video range's offset and
            # scale: the Y plane, repeated as RGB, hashes as the colour frame does without the conversion.
            grey = frame.reformat(width=out_w, height=out_h, format="gray", interpolation="AREA").to_ndarray()
            pixels = np.repeat(grey[:, :, None], 3, axis=2)
        try:
            decision = self.judge(watch, frame_time=t, rgb=pixels, started=started, picture=picture)
        except ChildsafeError as exc:  # e.g. the banks went away: report and keep watching
            decision = self._emit(watch, error_decision(watch.id, exc.code, exc.message, frame_time=t))
        yield decision
        if decision.action == "terminate_stream" and opts.stop_on_terminate:
            watch.stop_event.set()


class _FrameTooLarge(Exception):
    pass


def _flush(ctx) -> list:
    try:
        return list(ctx.decode(None))
    except Exception:  # noqa: BLE001 - a truncated stream may fail to flush; what was decoded stands
        return []


def _open_error(exc: Exception) -> tuple[str, str]:
    import av

    text = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, (av.error.ExitError, av.error.TimeoutError)) or "timed out" in str(exc).lower():
        return "stream_timeout", f"the stream did not answer in time ({text})"
    if isinstance(exc, (av.error.HTTPNotFoundError, FileNotFoundError)):
        return "stream_not_found", f"no stream at that address ({text})"
    if isinstance(exc, (ConnectionRefusedError, av.error.ConnectionRefusedError)) or "refused" in str(exc).lower():
        return "stream_unavailable", f"nothing answers at that address ({text})"
    if isinstance(exc, av.error.InvalidDataError):
        return "not_a_stream", f"not a stream FFmpeg can read ({text})"
    return "stream_unavailable", f"the stream could not be opened ({text})"
