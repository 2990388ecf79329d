"""Persistence: SQLAlchemy on SQLite (embedded default, one file in the data directory) or PostgreSQL.

Every part keeps its tables in its own ``models.py`` on the shared declarative ``Base``; this module
owns how a database is opened. Use :func:`open_database` rather than creating engines by hand.
"""

from __future__ import annotations

from childsafe.store.base import Base, Database, open_database, database_url_for

__all__ = ["Base", "Database", "open_database", "database_url_for"]
