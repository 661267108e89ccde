"""Import every module that declares tables, so `Base.metadata` knows them all."""

from __future__ import annotations


def load_all_tables() -> None:
    import plans.tables  # noqa: F401
