"""Helpers for the service tests: ``childsafe serve`` in a subprocess on a free loopback port,
against SQLite in a temporary data directory or a fresh database on the local PostgreSQL, and a local
webhook receiver. (A uniquely named module: several test folders have their own conftest.py.)"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

PG_ADMIN_URL = os.environ.get("CHILDSAFE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
CHILDSAFE = str(Path(sys.executable).with_name("childsafe"))


def problem(response: httpx.Response, status: int, code: str) -> dict:
    """The RFC 9457 problem document of ``response``, checked for its status and stable code."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["code"] == code and body["detail"]
    return body


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_unreachable_reason() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
        return None
    except Exception as exc:  # any failure means: not reachable here
        return f"{type(exc).__name__}: {exc}".splitlines()[0]


class PostgresDatabases:
    """Makes uniquely named databases for one test run and drops them all at the end."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def create(self) -> str:
        import psycopg

        name = f"childsafe_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.names.append(name)
        return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name

    def drop_all(self) -> None:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            for name in self.names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Server:
    data_dir: Path
    database_url: str | None
    port: int
    env: dict
    keys: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        where = ["--database", self.database_url] if self.database_url else ["--data-dir", str(self.data_dir)]
        result = subprocess.run([CHILDSAFE, *args, *where], capture_output=True, text=True, env=self.env, timeout=60)
        if check and result.returncode != 0:
            raise AssertionError(f"childsafe {' '.join(args)} failed: {result.stderr}")
        return result

    def make_key(self, scopes: str, name: str = "") -> str:
        return self.cli("keys", "create", "--scopes", scopes, "--name", name or scopes).stdout.strip()

    def start(self, workers: int = 1) -> None:
        assert self.proc is None
        where = ["--database", self.database_url] if self.database_url else []
        where += ["--workers", str(workers)] if workers > 1 else []
        self.log_path = self.data_dir / f"server-{self.port}.log"
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [CHILDSAFE, "serve", "--port", str(self.port), "--data-dir", str(self.data_dir), *where],
            env=self.env, stdout=log, stderr=log,
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited early:\n{self.log_path.read_text()[-3000:]}")
            try:
                if httpx.get(self.url + "/readyz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError("server did not become ready in 180s")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait()
        self.proc = None

    def client(self, scope: str = "all", **kwargs) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.keys[scope]}"} if scope else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30, **kwargs)

    def logs(self) -> str:
        return self.log_path.read_text() if self.log_path and self.log_path.exists() else ""


class WebhookReceiver:
    """A local HTTP endpoint that records webhook deliveries; can be told to fail the first N."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.fail_first = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server API
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                with receiver.lock:
                    if receiver.fail_first > 0:
                        receiver.fail_first -= 1
                        self.send_response(503)
                        self.end_headers()
                        return
                    receiver.received.append({"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def event_ids(self) -> set[str]:
        with self.lock:
            return {r["headers"]["webhook-id"] for r in self.received}

    def wait_for(self, predicate, timeout: float = 20.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if predicate(self.received):
                    return True
            time.sleep(0.05)
        return False

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


WEBHOOK_SECRET = "whsec_" + "dGVzdC1zZWNyZXQtZm9yLWNoaWxkc2FmZS13ZWJob29rcw=="
AGE_PROVIDER_SECRET = "whsec_" + "YWdlLXByb3ZpZGVyLXRlc3Qtc2VjcmV0LWtleS0xMjM0NTY="


def make_server(tmp_path: Path, database_url: str | None, receiver: WebhookReceiver | None, **env_extra) -> Server:
    data_dir = tmp_path / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHILDSAFE_")}
    env.update({
        "CHILDSAFE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "CHILDSAFE_WEBHOOK_BACKOFF_BASE_SECONDS": "0.2",
        "CHILDSAFE_WEBHOOK_BACKOFF_MAX_SECONDS": "1",
        "CHILDSAFE_AGE_PROVIDER_SECRETS": json.dumps({"acme-age": AGE_PROVIDER_SECRET}),
        "CHILDSAFE_MAX_BODY_BYTES": "200000",
    })
    if receiver is not None:
        env["CHILDSAFE_WEBHOOK_URL"] = receiver.url
    env.update({k: str(v) for k, v in env_extra.items()})
    server = Server(data_dir=data_dir, database_url=database_url, port=free_port(), env=env)
    from childsafe.service import keys
    from childsafe.store import open_database

    db = open_database(None if database_url else data_dir, database_url)
    with db.session() as s:
        for name, scopes in (("all", "ingest,moderate,admin,audit"), ("ingest", "ingest"), ("moderate", "moderate"),
                             ("audit", "audit"), ("admin", "admin")):
            server.keys[name], _ = keys.create_key(s, keys.parse_scopes(scopes), name)
    db.dispose()
    return server


