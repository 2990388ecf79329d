"""Live-stream fixtures: a pdq bank of the (benign) chair clip, loopback HLS over HTTP and RTMP via nginx."""

from __future__ import annotations

import functools
import http.server
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

CHAIR_BANKED = "vpdq/videos/chair-orig-22-sd-bar.mp4"
CHAIR_STREAMED = "vpdq/videos/chair-20-sd-bar.mp4"
DOORKNOB = "vpdq/videos/doorknob-hd-no-bar.mp4"
RTMP_MODULE = Path("/usr/lib/nginx/modules/ngx_rtmp_module.so")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ffmpeg_live(source: Path, out: list[str], *, seconds: float | None = None, size: str = "360:-2",
                realtime: bool = True, loop: bool = False) -> subprocess.Popen:
    """FFmpeg playing ``source`` like a live camera: real-time, H.264 with a keyframe every 0.5 s."""
    cmd = ["ffmpeg", "-nostdin", "-loglevel", "error"]
    if realtime:
        cmd.append("-re")
    if loop:
        cmd += ["-stream_loop", "-1"]
    cmd += ["-i", str(source)]
    if seconds is not None:
        cmd += ["-t", str(seconds)]
    cmd += ["-an", "-vf", f"scale={size}", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
            "-g", "15", "-keyint_min", "15", "-pix_fmt", "yuv420p", *out]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.fixture
def bank_db(data_dir, reference_media):
    """A data directory with pdq bank ``known`` holding the chair clip's frames (benign stand-in)."""
    from childsafe.banks import BankStore, Matcher
    from childsafe.media import hash_video
    from childsafe.store import open_database

    db = open_database(data_dir)
    store = BankStore(db)
    store.create("known", "pdq")
    frames = hash_video(reference_media / CHAIR_BANKED, fps=2).frames
    store.add_hashes("known", [f.pdq for f in frames if f.quality >= 50], labels=["test-benign-chair"])
    store.create("other", "pdq")
    return db, Matcher(db, data_dir)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def http_dir(tmp_path):
    """A folder served over HTTP on loopback; yields (folder, base URL)."""
    root = tmp_path / "www"
    root.mkdir()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def rtmp_server(tmp_path):
    """nginx with the RTMP module on a free loopback port; yields the rtmp:// base URL."""
    if not shutil.which("nginx") or not RTMP_MODULE.exists():
        pytest.fail("nginx with libnginx-mod-rtmp is needed (make deps installs both)")
    port = free_port()
    root = tmp_path / "nginx"
    (root / "logs").mkdir(parents=True)
    conf = root / "nginx.conf"
    conf.write_text(f"""
load_module {RTMP_MODULE};
pid {root}/nginx.pid;
error_log {root}/logs/error.log warn;
worker_processes 1;
events {{ worker_connections 256; }}
rtmp {{
    server {{
        listen 127.0.0.1:{port};
        chunk_size 4096;
        application live {{
            live on;
            record off;
            idle_streams off;
        }}
    }}
}}
""")
    proc = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(root), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"nginx did not start: {proc.stderr.read().decode()[-500:]}")
            time.sleep(0.05)
    try:
        yield f"rtmp://127.0.0.1:{port}/live"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
