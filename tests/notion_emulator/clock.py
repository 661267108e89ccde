"""The virtual clock every Notion timestamp comes from, and Notion's timestamp formats."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class VirtualClock:
    """A clock that stands still until a test moves it.

    Notion truncates page and data-source timestamps to the minute, so sync logic that
    depends on time must be tested with a clock the test controls, never the wall clock.
    """

    def __init__(self, start: datetime | None = None) -> None:
        start = start or datetime.now(UTC)
        self._now = _aware(start)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float = 0.0, *, minutes: float = 0.0) -> datetime:
        with self._lock:
            self._now += timedelta(seconds=seconds, minutes=minutes)
            return self._now

    def set(self, when: datetime) -> None:
        with self._lock:
            self._now = _aware(when)


def _aware(when: datetime) -> datetime:
    if when.tzinfo is None:
        return when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def minute_iso(when: datetime) -> str:
    """Pages, data sources and blocks: `2026-07-04T09:08:00.000Z`."""
    when = _aware(when).replace(second=0, microsecond=0)
    return when.strftime("%Y-%m-%dT%H:%M:00.000Z")


def millis_iso(when: datetime) -> str:
    """Database objects keep milliseconds and use an offset: `2026-07-04T09:08:53.017+00:00`."""
    when = _aware(when)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}+00:00"


def truncate_minute(when: datetime) -> datetime:
    return _aware(when).replace(second=0, microsecond=0)


def parse_iso(raw: str) -> datetime | None:
    """An aware datetime from an ISO 8601 string (date-only means midnight UTC), or None."""
    text = raw.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return _aware(parsed)
