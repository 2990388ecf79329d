"""Bringing the schema up to date.

Every part's ``models`` module is imported here so its tables are known to ``Base.metadata``.
Until Alembic migrations land (service work), ``create_all`` creates missing tables.
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
    from childsafe.store.base import Base

    import_models()
    Base.metadata.create_all(db.engine)
