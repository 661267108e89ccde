"""Date property values: the normalisation Notion applies on write, and their comparison.

Recorded behaviour (ultimate-notion test_query/test_date_query): writing
`{"start": "2026-06-27T18:01:15.377824", "time_zone": "Europe/London"}` comes back as
`{"start": "2026-06-27T18:01:00.000+01:00", "end": null, "time_zone": null}`: seconds are
dropped, the zone becomes an offset, and `time_zone` is always null.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import JsonDict, body_validation

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def normalize(raw: Any, path: str) -> JsonDict | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise body_validation(
            path, f"should be an object or `null`, instead was `{json.dumps(raw)}`."
        )
    zone_name = raw.get("time_zone")
    zone = _zone(zone_name, f"{path}.time_zone") if zone_name else None
    start = raw.get("start")
    if not isinstance(start, str):
        raise body_validation(f"{path}.start", "should be defined, instead was `undefined`.")
    end = raw.get("end")
    return {
        "start": _normalize_point(start, zone, f"{path}.start"),
        "end": _normalize_point(end, zone, f"{path}.end") if isinstance(end, str) else None,
        "time_zone": None,
    }


def _zone(name: Any, path: str) -> ZoneInfo:
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise body_validation(
            path, f"should be a valid time zone, instead was `{json.dumps(name)}`."
        ) from exc


def _normalize_point(raw: str, zone: ZoneInfo | None, path: str) -> str:
    if _DATE_ONLY.match(raw):
        return raw
    text = raw[:-1] + "+00:00" if raw.endswith("Z") else raw
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise body_validation(
            path, f"should be a valid ISO 8601 date string, instead was `{json.dumps(raw)}`."
        ) from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone or UTC)
    parsed = parsed.replace(second=0, microsecond=0)
    return parsed.strftime("%Y-%m-%dT%H:%M:00.000") + _offset(parsed)


def _offset(when: datetime) -> str:
    raw = when.strftime("%z") or "+0000"
    return f"{raw[:3]}:{raw[3:]}"


def point(raw: str) -> tuple[datetime, bool]:
    """A stored or filter date as an aware UTC instant, and whether it carries a time."""
    if _DATE_ONLY.match(raw):
        return datetime.combine(date.fromisoformat(raw), datetime.min.time(), UTC), False
    text = raw[:-1] + "+00:00" if raw.endswith("Z") else raw
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC), True


def relative_range(keyword: str, now: datetime) -> tuple[date, date] | None:
    """Day ranges (UTC, inclusive) for `past_week`, `this_week`, `next_month`, ...

    Day granularity and inclusive ends are what the recorded date queries show: a page
    dated a minute before "now" still counts as `next_week`.
    """
    today = now.astimezone(UTC).date()
    if keyword == "this_week":
        monday = today - timedelta(days=today.weekday())
        return monday, monday + timedelta(days=6)
    direction, _, unit = keyword.partition("_")
    if direction not in ("past", "next") or unit not in ("week", "month", "year"):
        return None
    other = _shift(today, unit, -1 if direction == "past" else 1)
    return (other, today) if direction == "past" else (today, other)


def _shift(day: date, unit: str, sign: int) -> date:
    if unit == "week":
        return day + sign * timedelta(days=7)
    if unit == "month":
        month_index = day.year * 12 + day.month - 1 + sign
        year, month = divmod(month_index, 12)
        return _clamped(year, month + 1, day.day)
    return _clamped(day.year + sign, day.month, day.day)


def _clamped(year: int, month: int, day: int) -> date:
    while True:
        try:
            return date(year, month, day)
        except ValueError:
            day -= 1
