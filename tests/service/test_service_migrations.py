"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL, so a
database migrated from an older release and one built fresh from the models are the same."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from childsafe.store.base import Base, Database
from childsafe.store.migrations import current_revision, head_revision, upgrade
from childsafe.store.schema import import_models


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_databases").create()
    else:
        url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    db = Database(url)
    yield db
    db.dispose()


def _differences(db: Database) -> list:
    import_models()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_migrating_an_empty_database_gives_the_models_schema(empty_database):
    upgrade(empty_database, fresh_from_models=False)
    assert current_revision(empty_database) == head_revision()
    assert _differences(empty_database) == []
    tables = set(inspect(empty_database.engine).get_table_names())
    import_models()
    assert set(Base.metadata.tables) <= tables


def test_fresh_database_from_models_is_stamped_at_head_and_equal(empty_database):
    upgrade(empty_database)
    assert current_revision(empty_database) == head_revision()
    assert _differences(empty_database) == []


@pytest.mark.parametrize("fresh", [True, False])
def test_audit_log_is_append_only_in_the_database_either_way(empty_database, fresh):
    upgrade(empty_database, fresh_from_models=fresh)
    from childsafe.service import audit

    with empty_database.session() as s:
        audit.record(s, "test", "probe", "subject")
    for statement in ("UPDATE service_audit_log SET actor = 'x'", "DELETE FROM service_audit_log"):
        with pytest.raises(Exception, match="append-only"):
            with empty_database.engine.begin() as conn:
                conn.execute(text(statement))
