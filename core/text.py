"""Text PostgreSQL can store.

PostgreSQL refuses the NUL character (U+0000) in `text` and `jsonb`, and psycopg cannot
encode a lone UTF-16 surrogate (U+D800 to U+DFFF), which JSON can carry as an escape
(`"\\udc00"`). Both arrive through JSON that parses cleanly, so they are looked for in the
parsed value, before anything tries to store it.
"""

from __future__ import annotations

from dataclasses import dataclass

Location = tuple[str | int, ...]


@dataclass(frozen=True)
class UnstorableText:
    location: Location  # keys and list indexes from the top of the value
    problem: str


def unstorable_problem(text: str) -> str | None:
    """What in `text` PostgreSQL cannot store, or None."""
    if "\x00" in text:
        return "contains a NUL character (\\u0000), which cannot be stored"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "contains a lone surrogate (\\ud800 to \\udfff), which is not a character"
    return None


def find_unstorable_text(value: object) -> UnstorableText | None:
    """A string (a value or an object key) in a parsed JSON `value` that PostgreSQL cannot
    store, with where it is; None when every string can be stored. Walks without recursion,
    so however deep the value is nested, it cannot overflow the stack."""
    pending: list[tuple[Location, object]] = [((), value)]
    while pending:
        location, item = pending.pop()
        if isinstance(item, str):
            problem = unstorable_problem(item)
            if problem is not None:
                return UnstorableText(location, problem)
        elif isinstance(item, dict):
            for key, child in reversed(item.items()):
                key_problem = unstorable_problem(str(key))
                if key_problem is not None:
                    return UnstorableText((*location, key), f"key {key_problem}")
                pending.append(((*location, key), child))
        elif isinstance(item, list):
            indexed = list(enumerate(item))
            pending.extend(((*location, index), child) for index, child in reversed(indexed))
    return None
