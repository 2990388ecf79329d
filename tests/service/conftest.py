"""Fixtures for the service tests; the helpers live in service_harness.py."""

from __future__ import annotations

import pytest

from service_harness import PG_ADMIN_URL, PostgresDatabases, WebhookReceiver, make_server, pg_unreachable_reason


@pytest.fixture(scope="session")
def pg_databases():
    reason = pg_unreachable_reason()
    if reason is not None:
        pytest.skip(f"PostgreSQL at {PG_ADMIN_URL} is unreachable ({reason}); start it (.ci/run does) to run these")
    dbs = PostgresDatabases()
    yield dbs
    dbs.drop_all()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request):
    if request.param == "postgresql":
        return request.getfixturevalue("pg_databases").create
    return lambda: None


@pytest.fixture(scope="module")
def receiver():
    r = WebhookReceiver()
    yield r
    r.close()


@pytest.fixture(scope="module")
def server(backend, receiver, tmp_path_factory):
    s = make_server(tmp_path_factory.mktemp("service"), backend(), receiver)
    s.start()
    yield s
    s.stop()
