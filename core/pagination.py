"""Keyset pagination: opaque cursors over (created_at, id)."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar
from uuid import UUID

from core.errors import InvalidInput

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


@dataclass(frozen=True)
class Position:
    """Where the previous page stopped."""

    created_at: datetime
    id: UUID


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(position: Position) -> str:
    raw = f"{position.created_at.isoformat()}|{position.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> Position:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        created_at, id_ = base64.urlsafe_b64decode(padded.encode()).decode().split("|")
        return Position(datetime.fromisoformat(created_at), UUID(id_))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput("cursor is not one this API returned", field="cursor") from None
