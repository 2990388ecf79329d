from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from childsafe.errors import InvalidInput

DB_FILENAME = "childsafe.sqlite3"


class Base(DeclarativeBase):
    """Shared declarative base: every part's models register their tables here."""


def database_url_for(data_dir: str | Path | None = None, database_url: str | None = None) -> str:
    if database_url:
        return database_url
    from childsafe.settings import get_settings

    settings = get_settings()
    if settings.database_url and data_dir is None:
        return settings.database_url
    directory = Path(data_dir) if data_dir is not None else settings.data_dir
    if directory.exists() and not directory.is_dir():
        raise InvalidInput(f"data directory {directory} is not a directory", code="bad_data_dir")
    directory.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(directory / DB_FILENAME).resolve()}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # pragma: no cover - trivial
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


class Database:
    """An engine plus a session factory, with the schema brought up to date on open."""

    def __init__(self, url: str, data_dir: Path | None = None) -> None:
        self.url = url
        self.data_dir = data_dir
        self.is_sqlite = url.startswith("sqlite")
        kwargs: dict = {"future": True}
        if self.is_sqlite:
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 10}
        else:
            kwargs.update(pool_pre_ping=True, pool_size=10, max_overflow=20)
        self.engine: Engine = create_engine(url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed on success, rolled back (nothing half-written) on any error."""
        s = self.sessions()
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    def create_schema(self) -> None:
        from childsafe.store.schema import upgrade_schema

        upgrade_schema(self)

    def dispose(self) -> None:
        self.engine.dispose()


_lock = threading.Lock()


def open_database(data_dir: str | Path | None = None, database_url: str | None = None) -> Database:
    """Open (and create or migrate) the database for a data directory or URL."""
    url = database_url_for(data_dir, database_url)
    with _lock:
        db = Database(url, Path(data_dir) if data_dir is not None else None)
        db.create_schema()
    return db
