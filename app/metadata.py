"""Import every module that declares tables, so `Base.metadata` knows them all."""

from __future__ import annotations

import importlib

TABLE_MODULES = (
    "core.tenancy.tables",
    "core.outbox.tables",
    "plans.tables",
    "plans.catalogue.tables",
    "plans.conversations.tables",
    "plans.opportunities.tables",
    "plans.map.tables",
    "connectors.sync.tables",
)


def load_all_tables() -> None:
    for module in TABLE_MODULES:
        importlib.import_module(module)
