"""Prometheus metrics at ``/metrics`` and the pure-ASGI middleware that measures requests and enforces
body-size limits (a pure ASGI layer costs far less per request than Starlette's BaseHTTPMiddleware).

With several worker processes (``childsafe serve --workers N``) the serve command points
``PROMETHEUS_MULTIPROC_DIR`` at a fresh folder before the workers start: every worker then writes its
counts there and ``/metrics``, whichever worker answers, adds up all of them (prometheus_client's
multi-process mode).
"""

from __future__ import annotations

import os
import time

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from childsafe.service.problems import problem_response

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def multiprocess_dir() -> str | None:
    """The folder the workers share their metrics through, when serving with several workers."""
    return os.environ.get(MULTIPROC_ENV) or None

UPLOAD_PREFIXES = ("/v1/media", "/v1/banks/")


class ServiceMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "childsafe_http_requests_total", "HTTP requests answered", ["method", "route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "childsafe_http_request_duration_seconds",
            "Time to answer an HTTP request",
            ["route"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
            registry=self.registry,
        )
        self.actions = Counter("childsafe_actions_total", "Actions decided", ["kind", "action"], registry=self.registry)
        self.webhooks = Counter("childsafe_webhook_deliveries_total", "Webhook delivery attempts", ["result"], registry=self.registry)
        # counts of database rows, read at each scrape: the latest reading is the value, whichever worker took it
        self.outbox_pending = Gauge(
            "childsafe_outbox_pending", "Webhooks not yet delivered", registry=self.registry, multiprocess_mode="mostrecent"
        )
        self.outbox_failed = Gauge(
            "childsafe_outbox_failed",
            "Webhooks given up after CHILDSAFE_WEBHOOK_MAX_ATTEMPTS, waiting for a redelivery (alert when above 0)",
            registry=self.registry,
            multiprocess_mode="mostrecent",
        )
        self.batch_size = Histogram(
            "childsafe_write_batch_size", "Events committed per transaction", buckets=(1, 2, 4, 8, 16, 32, 64, 128), registry=self.registry
        )

    def webhook_result(self, ok: bool) -> None:
        self.webhooks.labels("delivered" if ok else "failed").inc()

    def render(self) -> tuple[bytes, str]:
        """The metrics text: this process's, or every worker's added up in multi-process mode."""
        if multiprocess_dir() is None:
            return generate_latest(self.registry), CONTENT_TYPE_LATEST
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST


class BodyTooLarge(Exception):
    pass


class ServiceMiddleware:
    """Counts and times requests by route template; refuses bodies over the configured limit with 413."""

    def __init__(self, app, metrics: ServiceMetrics, max_body: int, max_upload: int) -> None:
        self.app = app
        self.metrics = metrics
        self.max_body = max_body
        self.max_upload = max_upload

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        limit = self.max_upload if path.startswith(UPLOAD_PREFIXES) else self.max_body
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared > limit or declared < 0:
                    await self._too_large(scope, receive, send, limit)
                    return
                break
        started = time.perf_counter()
        status_holder = [500]
        received = 0
        response_started = False

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        async def tracking_send(message):
            nonlocal response_started
            if message["type"] == "http.response.start":
                status_holder[0] = message["status"]
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if response_started:
                raise
            status_holder[0] = 413
            await problem_response(
                413, "body_too_large", f"the request body is larger than the limit of {limit} bytes", instance=path
            )(scope, receive, send)
        route = scope.get("route")
        template = getattr(route, "path", None) or "unmatched"
        self.metrics.requests.labels(scope["method"], template, str(status_holder[0])).inc()
        self.metrics.latency.labels(template).observe(time.perf_counter() - started)

    async def _too_large(self, scope, receive, send, limit):
        response = problem_response(
            413, "body_too_large", f"the request body is larger than the limit of {limit} bytes", instance=scope["path"]
        )
        await response(scope, receive, send)
        self.metrics.requests.labels(scope["method"], "unmatched", "413").inc()
