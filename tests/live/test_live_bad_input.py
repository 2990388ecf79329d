"""Bad streams and bad frames are reported as decisions with an error code; nothing hangs or crashes."""

from __future__ import annotations

import io
import socket
import subprocess
import threading
import time

import numpy as np
import pytest
from PIL import Image

from childsafe.live import LiveMonitor, LiveOptions
from tests.live.conftest import CHAIR_STREAMED, DOORKNOB, ffmpeg_live

pytestmark = pytest.mark.timeout(90)


def _run(monitor, url, **kw):
    return list(monitor.run(url, stream_id="s", **kw))


def _codes(decisions):
    return [d.error["code"] for d in decisions if d.error]


@pytest.fixture(scope="module")
def short_ts(tmp_path_factory, reference_media):
    """Four seconds of the doorknob clip as MPEG-TS (what an HLS segment is)."""
    out = tmp_path_factory.mktemp("ts") / "clip.ts"
    proc = ffmpeg_live(reference_media / DOORKNOB, ["-f", "mpegts", str(out)], realtime=False)
    assert proc.wait(timeout=60) == 0, proc.stderr.read()
    return out


class _RawServer:
    """A TCP server that answers each connection with ``behaviour(conn)`` (for stalls and cut-offs)."""

    def __init__(self, behaviour):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.behaviour = behaviour
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn):
        try:
            conn.recv(65536)
            self.behaviour(conn, self.stop)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self):
        self.stop.set()
        self.sock.close()


def test_url_that_does_not_answer_times_out():
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection, never says a word
    try:
        monitor = LiveMonitor(None, options=LiveOptions(open_timeout=1.5, read_timeout=1.5))
        started = time.monotonic()
        decisions = _run(monitor, f"http://127.0.0.1:{silent.getsockname()[1]}/live.m3u8")
        assert time.monotonic() - started < 10
        assert _codes(decisions) == ["stream_timeout"]
        assert monitor.get("s").status == "error"
    finally:
        silent.close()


def test_url_where_nothing_listens_is_unavailable():
    port = socket.socket()
    port.bind(("127.0.0.1", 0))
    number = port.getsockname()[1]
    port.close()
    decisions = _run(LiveMonitor(None), f"rtmp://127.0.0.1:{number}/live/x")
    assert _codes(decisions) == ["stream_unavailable"]


def test_stream_that_stalls_is_reported_after_the_read_timeout(short_ts):
    data = short_ts.read_bytes()

    def stall(conn, stop):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: video/mp2t\r\nContent-Length: %d\r\n\r\n" % len(data))
        conn.sendall(data[: len(data) // 2])
        stop.wait(30)

    server = _RawServer(stall)
    try:
        monitor = LiveMonitor(None, options=LiveOptions(read_timeout=1.5))
        started = time.monotonic()
        decisions = _run(monitor, f"http://127.0.0.1:{server.port}/seg.ts")
        assert time.monotonic() - started < 15
        assert any(d.pdq for d in decisions)  # it watched what did arrive
        assert _codes(decisions)[-1] == "stream_stalled"
    finally:
        server.close()


def test_live_playlist_that_stops_growing_is_a_stall(reference_media, http_dir):
    root, base = http_dir
    proc = ffmpeg_live(reference_media / DOORKNOB, ["-f", "hls", "-hls_time", "1", "-hls_list_size", "0",
                                                    "-hls_flags", "omit_endlist", str(root / "index.m3u8")],
                       seconds=3, realtime=False)
    assert proc.wait(timeout=60) == 0  # the encoder is gone; the playlist never says it ended
    started = time.monotonic()
    decisions = _run(LiveMonitor(None, options=LiveOptions(read_timeout=1.5)), f"{base}/index.m3u8")
    assert time.monotonic() - started < 20
    assert any(d.pdq for d in decisions)
    assert _codes(decisions)[-1] == "stream_stalled"


def test_stream_that_ends_mid_segment_ends_cleanly(short_ts):
    data = short_ts.read_bytes()

    def cut(conn, stop):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: video/mp2t\r\nContent-Length: %d\r\n\r\n" % len(data))
        conn.sendall(data[: len(data) // 2 + 333])  # then the connection closes mid-packet

    server = _RawServer(cut)
    try:
        decisions = _run(LiveMonitor(None, options=LiveOptions(read_timeout=3)), f"http://127.0.0.1:{server.port}/seg.ts")
        assert any(d.pdq for d in decisions)
        assert decisions[-1].action in ("ended", "error")
        assert not any(d.actions for d in decisions)
    finally:
        server.close()


def test_corrupt_segment_in_hls_is_reported_and_watching_goes_on(tmp_path, reference_media, http_dir):
    root, base = http_dir
    proc = ffmpeg_live(reference_media / CHAIR_STREAMED, ["-f", "hls", "-hls_time", "1", "-hls_list_size", "0",
                                                          "-hls_playlist_type", "vod", str(root / "index.m3u8")],
                       seconds=5, realtime=False)
    assert proc.wait(timeout=60) == 0
    segments = sorted(root.glob("*.ts"))
    assert len(segments) >= 4
    rng = np.random.default_rng(7)
    victim = segments[1]
    raw = bytearray(victim.read_bytes())
    raw[200:] = rng.integers(0, 256, len(raw) - 200, dtype=np.uint8).tobytes()
    victim.write_bytes(bytes(raw))
    decisions = _run(LiveMonitor(None, options=LiveOptions(read_timeout=3)), f"{base}/index.m3u8")
    assert decisions[-1].action == "ended"
    times = [d.frame_time for d in decisions if d.pdq]
    assert times and max(times) >= 3.0  # frames after the corrupt segment were still watched


def test_codec_ffmpeg_cannot_decode_is_reported(tmp_path, reference_media):
    mkv = tmp_path / "clip.mkv"
    proc = ffmpeg_live(reference_media / DOORKNOB, ["-f", "matroska", str(mkv)], seconds=1, realtime=False)
    assert proc.wait(timeout=60) == 0
    raw = mkv.read_bytes()
    assert b"V_MPEG4/ISO/AVC" in raw
    mkv.write_bytes(raw.replace(b"V_MPEG4/ISO/AVC", b"V_NOTACODEC_XYZ", 1))  # same length, unknown codec id
    decisions = _run(LiveMonitor(None), str(mkv))
    assert _codes(decisions) in (["unsupported_codec"], ["no_frames"])
    assert not any(d.pdq for d in decisions)


def test_frames_over_the_pixel_limit_are_refused(reference_media):
    decisions = _run(LiveMonitor(None, options=LiveOptions(max_pixels=100_000)), str(reference_media / DOORKNOB))
    assert _codes(decisions) == ["frame_too_large"]
    assert "1280x720" in decisions[0].error["message"]


def test_not_a_stream_at_all(tmp_path):
    junk = tmp_path / "junk.m3u8"
    junk.write_bytes(b"\x00\x01 definitely not a playlist" * 50)
    decisions = _run(LiveMonitor(None), str(junk))
    assert decisions[-1].error is not None


def test_pushed_frame_that_is_not_an_image_is_reported_while_other_streams_go_on(reference_media):
    monitor = LiveMonitor(None)
    watch = monitor.watch(str(reference_media / DOORKNOB), stream_id="other")
    bad = monitor.push_frame("pushed", image=b"%PDF-1.4 this is not an image")
    assert bad.action == "error" and bad.error["code"] in ("not_an_image", "not_media", "corrupt_image")
    big = Image.new("RGB", (4000, 4000), (10, 120, 200))
    buf = io.BytesIO()
    big.save(buf, "PNG")
    monitor.get("pushed").options = LiveOptions(max_pixels=1_000_000)
    huge = monitor.push_frame("pushed", image=buf.getvalue())
    assert huge.action == "error" and "pixels" in huge.error["message"]
    watch.thread.join(timeout=30)
    assert watch.status == "ended" and watch.frames_sampled >= 3
    good = Image.new("RGB", (320, 240))
    good.paste((200, 30, 30), (0, 0, 160, 240))
    buf = io.BytesIO()
    good.save(buf, "JPEG")
    ok = monitor.push_frame("pushed", image=buf.getvalue(), frame_time=3.0)
    assert ok.action == "none" and ok.error is None and ok.pdq
