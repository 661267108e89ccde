"""What every command shares: consoles, settings, and a runtime started for the command."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from rich.console import Console

from app.runtime import Runtime
from app.settings import Settings, load_settings

out = Console()
err = Console(stderr=True)
T = TypeVar("T")


def settings() -> Settings:
    return load_settings()


def with_runtime(action: Callable[[Runtime], T], *, migrate: bool = True) -> T:
    runtime = Runtime.start(settings(), migrate_database=migrate)
    try:
        return action(runtime)
    finally:
        runtime.stop()
