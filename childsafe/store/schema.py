"""Bringing the schema up to date.

Every part's ``models`` module is imported here so its tables are known to ``Base.metadata``.
The schema itself is made by the Alembic migrations in ``childsafe/store/migrations``.
"""

from __future__ import annotations

import importlib

MODEL_MODULES = [
    "childsafe.banks.models",
    "childsafe.policy.models",
    "childsafe.service.models",
    "childsafe.cases.models",
]


def import_models() -> None:
    for name in MODEL_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def upgrade_schema(db) -> None:
    """Run the Alembic migrations up to head (``childsafe/store/migrations``)."""
    from childsafe.store.migrations import upgrade

    import_models()
    upgrade(db)
