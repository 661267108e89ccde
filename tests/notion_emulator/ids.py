"""Identifiers in the forms Notion uses: dashed UUIDs, 4-character property ids, request ids."""

from __future__ import annotations

import random
import re
import uuid
from typing import TypeGuard
from urllib.parse import quote

_HEX32 = re.compile(r"^[0-9a-fA-F]{32}$")
_DASHED = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)

# Recorded property ids mix letters, digits and punctuation ("w]\S" -> "w%5D%5CS"), then
# URL-encode; connectors must treat them as opaque strings, so the emulator does the same.
_PROPERTY_ID_ALPHABET = (
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789[]{}\\|:;<>?@^_`~=!"
)


def new_uuid() -> str:
    return str(uuid.uuid4())


def request_id() -> str:
    return str(uuid.uuid4())


def normalize_uuid(raw: str) -> str | None:
    """The dashed lowercase form of an id given with or without dashes, or None."""
    if _DASHED.match(raw):
        return raw.lower()
    if _HEX32.match(raw):
        h = raw.lower()
        return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"
    return None


def is_uuid(raw: object) -> TypeGuard[str]:
    return isinstance(raw, str) and normalize_uuid(raw) is not None


def compact(object_id: str) -> str:
    return object_id.replace("-", "")


def new_property_id(taken: set[str], rng: random.Random) -> str:
    while True:
        raw = "".join(rng.choice(_PROPERTY_ID_ALPHABET) for _ in range(4))
        encoded = quote(raw, safe="")
        if encoded not in taken and encoded != "title":
            return encoded


def given_or_new(raw: str | None) -> str:
    """A caller-chosen id (any accepted form) or a fresh one."""
    if raw is None:
        return new_uuid()
    normalized = normalize_uuid(raw)
    if normalized is None:
        raise ValueError(f"not a Notion id: {raw!r}")
    return normalized
