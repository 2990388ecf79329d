"""Write a new revision from the difference between the models and the migrated schema (developer tool):
``python -m childsafe.store.migrations.autogen "message" [--rev-id ID]``."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from alembic import command

from childsafe.store.base import Database
from childsafe.store.migrations import alembic_config


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("message")
    parser.add_argument("--rev-id", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'autogen.sqlite3'}")
        cfg = alembic_config()
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            command.revision(cfg, message=args.message, autogenerate=True, rev_id=args.rev_id)
        db.dispose()


if __name__ == "__main__":
    main()
