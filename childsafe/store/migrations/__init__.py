"""Alembic migrations for every part's tables, shipped inside the package.

``open_database`` brings a database to ``head`` on open; concurrent openers are serialised (a file lock
beside a SQLite database, an advisory lock on PostgreSQL) so two processes never migrate at once.
"""

from __future__ import annotations

import fcntl
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

HERE = Path(__file__).resolve().parent
_ADVISORY_KEY = 0x63686C64  # "chld"
_thread_lock = threading.Lock()


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@lru_cache(maxsize=1)
def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(db) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def is_current(db) -> bool:
    return current_revision(db) == head_revision()


@contextmanager
def _migration_lock(db) -> Iterator[None]:
    with _thread_lock:
        if db.is_sqlite:
            path = db.engine.url.database
            if path and path != ":memory:":
                lock_path = Path(path).with_suffix(".migrate-lock")
                with open(lock_path, "a+") as fh:
                    fcntl.flock(fh, fcntl.LOCK_EX)
                    try:
                        yield
                    finally:
                        fcntl.flock(fh, fcntl.LOCK_UN)
                return
            yield
            return
        with db.engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _ADVISORY_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _ADVISORY_KEY})
                conn.commit()


def upgrade(db, revision: str = "head", *, fresh_from_models: bool = True) -> None:
    """Bring the database to ``revision`` (default: the latest).

    A database without a version table is built straight from the models (missing tables only) and
    stamped ``head`` (Alembic's recipe for building an up-to-date database from scratch); a versioned
    database is migrated.
    A test keeps both ways equal: migrating an empty database gives exactly the models' schema.
    """
    if revision == "head" and is_current(db):
        return
    with _migration_lock(db):
        if revision == "head" and is_current(db):
            return
        cfg = alembic_config()
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            if fresh_from_models and revision == "head" and _is_unversioned(conn):
                from childsafe.store.base import Base
                from childsafe.store.schema import import_models

                import_models()
                Base.metadata.create_all(conn)
                command.stamp(cfg, "head")
            else:
                command.upgrade(cfg, revision)


def _is_unversioned(conn) -> bool:
    """No Alembic version table: an empty database, or one made by ``create_all`` before migrations
    existed (pre-release data directories); both are completed from the models and stamped."""
    from sqlalchemy import inspect

    return "alembic_version" not in set(inspect(conn).get_table_names())
