"""Schemathesis over /openapi.json against a running server: whatever it sends (requests that follow the
schema and requests that break it), never a 5xx, and every
error is a problem document with a code. (Schemathesis's own pytest plugin does not load under this
pytest, so the operations are driven with its strategies and Hypothesis directly.)"""

from __future__ import annotations

import itertools
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

from service_harness import make_server

EXAMPLES_PER_OPERATION = 10  # per operation and per mode (valid and invalid requests): bounded in time


@pytest.mark.slow
def test_no_request_to_any_operation_gets_a_server_error(tmp_path):
    server = make_server(tmp_path, None, None)
    server.start()
    failures: list[str] = []
    timings: list[tuple[float, str]] = []
    try:
        schema = schemathesis.openapi.from_url(server.url + "/openapi.json")
        headers = {"Authorization": f"Bearer {server.keys['all']}"}
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 20

        for operation, mode in itertools.product(operations, schemathesis.GenerationMode):

            @given(case=operation.as_strategy(mode))
            @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
                      suppress_health_check=list(HealthCheck), database=None)
            def exercise(case):
                response = case.call(base_url=server.url, headers=headers, timeout=30)
                where = f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"
                if response.status_code >= 500:
                    failures.append(where)
                elif response.status_code >= 400:
                    ctype = response.headers.get("content-type", "")
                    ctype = ctype[0] if isinstance(ctype, list) else ctype
                    if not ctype.startswith("application/problem+json") or not response.json().get("code"):
                        failures.append("not a problem document: " + where)

            started = time.perf_counter()
            try:
                exercise()
            except Unsatisfiable:
                assert mode is schemathesis.GenerationMode.NEGATIVE  # nothing to break in e.g. GET /healthz
            timings.append((time.perf_counter() - started, f"{operation.method.upper()} {operation.path} ({mode.value})"))
    finally:
        server.stop()
    print("slowest operations:", sorted(timings, reverse=True)[:5])
    assert not failures, "\n".join(failures[:20])
