"""Our field values <-> Notion property values, and how Notion stores a value.

`normalise` is what makes three-way merges and echo detection exact: a value is compared
in the form Notion echoes back (dates to the minute with an offset, text cut to Notion's
limits, select names without commas, option and relation lists as sorted sets, blanks as
None).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from connectors.errors import RecordRejected
from connectors.mapping import FieldKind
from connectors.protocol import Value

JsonDict = dict[str, Any]

TEXT_ITEM_CHARS = 2000
MAX_ITEMS = 100  # rich-text items, relations, options a write
MAX_TEXT_CHARS = TEXT_ITEM_CHARS * MAX_ITEMS
MAX_OPTION_CHARS = 100

PROPERTY_TYPE: dict[FieldKind, str] = {
    FieldKind.TITLE: "title",
    FieldKind.TEXT: "rich_text",
    FieldKind.NUMBER: "number",
    FieldKind.DATE: "date",
    FieldKind.SELECT: "select",
    FieldKind.MULTI_SELECT: "multi_select",
    FieldKind.RELATION: "relation",
    FieldKind.EMAIL: "email",
    FieldKind.URL: "url",
}
UUID_HEX = re.compile(r"^[0-9a-f]{32}$")


class Truncated:
    """A relation list Notion cut at 25 (`has_more`); the full list must be fetched."""


TRUNCATED = Truncated()


def page_id(raw: str) -> str:
    """Notion ids with or without dashes -> the dashed lower-case form."""
    hexed = raw.replace("-", "").lower()
    if not UUID_HEX.match(hexed):
        return raw
    return f"{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-{hexed[20:]}"


def _option(name: str) -> str:
    # Notion refuses commas in option names; ';' keeps lists readable.
    return re.sub(r"\s+", " ", name.replace(",", ";")).strip()[:MAX_OPTION_CHARS]


def _date(value: str) -> str:
    if len(value) == 10:
        return date.fromisoformat(value).isoformat()
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC).replace(second=0, microsecond=0)
    return moment.isoformat(timespec="milliseconds")


def normalise(kind: FieldKind, value: Any) -> Value:
    """`value` as Notion would store and echo it (ValueError if it cannot hold it)."""
    if value is None or value == "" or value == []:
        return None
    if kind in (FieldKind.TITLE, FieldKind.TEXT):
        text = str(value)[:MAX_TEXT_CHARS]
        return text or None
    if kind is FieldKind.NUMBER:
        if isinstance(value, bool):
            raise ValueError(f"{value!r} is not a number")
        return float(value)
    if kind is FieldKind.DATE:
        return _date(value.isoformat() if isinstance(value, date) else str(value))
    if kind is FieldKind.SELECT:
        return _option(str(value)) or None
    if kind is FieldKind.MULTI_SELECT:
        names = sorted({_option(str(v)) for v in value} - {""})
        return names or None
    if kind is FieldKind.RELATION:
        return sorted({page_id(str(v)) for v in value}) or None
    return str(value).strip() or None  # email, url


def _text_items(text: str) -> list[JsonDict]:
    return [
        {"type": "text", "text": {"content": text[i : i + TEXT_ITEM_CHARS]}}
        for i in range(0, len(text), TEXT_ITEM_CHARS)
    ]


def encode(kind: FieldKind, value: Value, field: str) -> JsonDict:
    """The request body for one property; RecordRejected names a value Notion cannot take."""
    if kind in (FieldKind.TITLE, FieldKind.TEXT):
        return {PROPERTY_TYPE[kind]: _text_items(str(value)) if value else []}
    if kind is FieldKind.NUMBER:
        return {"number": value}
    if kind is FieldKind.DATE:
        return {"date": {"start": value} if value else None}
    if kind is FieldKind.SELECT:
        return {"select": {"name": value} if value else None}
    if kind is FieldKind.MULTI_SELECT or kind is FieldKind.RELATION:
        items = list(value) if isinstance(value, list) else []
        if len(items) > MAX_ITEMS:
            raise RecordRejected(
                f"{field} has {len(items)} entries; Notion takes at most {MAX_ITEMS} in a write"
            )
        if kind is FieldKind.RELATION:
            return {"relation": [{"id": item} for item in items]}
        return {"multi_select": [{"name": item} for item in items]}
    return {PROPERTY_TYPE[kind]: value}


def _plain(items: list[JsonDict]) -> str:
    return "".join(
        item.get("plain_text") or item.get("text", {}).get("content", "") for item in items
    )


def decode(prop: JsonDict) -> Value | Truncated:
    """A page's property object -> our value (TRUNCATED for a cut relation list)."""
    kind = prop.get("type")
    raw = prop.get(kind) if isinstance(kind, str) else None
    if kind in ("title", "rich_text"):
        return _plain(raw or []) or None
    if kind == "number":
        return float(raw) if raw is not None else None
    if kind == "date":
        return _date(raw["start"]) if raw and raw.get("start") else None
    if kind == "select":
        return raw["name"] if raw else None
    if kind == "multi_select":
        return sorted(option["name"] for option in raw or []) or None
    if kind == "relation":
        if prop.get("has_more"):
            return TRUNCATED
        return sorted(page_id(item["id"]) for item in raw or []) or None
    if kind in ("email", "url", "phone_number"):
        return raw or None
    raise RecordRejected(f"Notion property type {kind!r} is not one the sync maps")
