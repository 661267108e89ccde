"""Plan revisions: what changed (as JSON paths), why, and who or what caused it."""

from __future__ import annotations

from typing import Any

MAX_LIST_DIFF = 50


def diff(old: Any, new: Any, path: str = "") -> list[dict[str, Any]]:
    """Changes from `old` to `new` (JSON-like values) as [{path, old, new}].

    Dicts are compared key by key; a list that only grew is recorded as the items
    appended (`{path, added}`), any other list change as a whole replacement.
    """
    if old == new:
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        changes: list[dict[str, Any]] = []
        for key in sorted(set(old) | set(new), key=str):
            child = f"{path}.{key}" if path else str(key)
            changes += diff(old.get(key), new.get(key), child)
        return changes
    if isinstance(old, list) and isinstance(new, list) and new[: len(old)] == old:
        return [{"path": path, "added": new[len(old) :][:MAX_LIST_DIFF]}]
    return [{"path": path, "old": old, "new": new}]
