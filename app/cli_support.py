"""What every command shares: consoles, settings, and a runtime started for the command."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from rich.console import Console

from app.runtime import Runtime
from app.settings import Settings, load_settings

out = Console()
err = Console(stderr=True)
T = TypeVar("T")


def settings() -> Settings:
    """The settings, with the log level they name applied (the stores' INFO lines are
    quiet unless LOG_LEVEL asks for them)."""
    loaded = load_settings()
    logging.getLogger().setLevel(loaded.LOG_LEVEL)
    return loaded


def with_runtime(action: Callable[[Runtime], T], *, migrate: bool = True) -> T:
    runtime = Runtime.start(settings(), migrate_database=migrate)
    try:
        return action(runtime)
    finally:
        runtime.stop()
