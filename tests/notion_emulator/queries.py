"""Reads that return lists: data source queries, property items, search.

Pagination keeps a snapshot of the matching ids per query (Notion's cursors look like
`s:<snapshot>:<next id>`), so a page edited mid-pagination is neither lost nor repeated.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

from .errors import JsonDict, body_validation, validation
from .filters import FilterCompiler
from .ids import new_uuid
from .model import DataSource, Page, PropertySchema, canonical_property_id
from .render import has_archived_alias
from .richtext import plain_text
from .store import Store

MAX_PAGE_SIZE = 100
MAX_SNAPSHOTS = 500
PAGINATED_TYPES = frozenset({"title", "rich_text", "relation", "people"})


def page_size(raw: Any, default: int = MAX_PAGE_SIZE) -> int:
    if raw is None:
        return default
    if isinstance(raw, str) and raw.isdigit():
        raw = int(raw)
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise body_validation("page_size", f"should be a number, instead was `{json.dumps(raw)}`.")
    if raw > MAX_PAGE_SIZE:
        raise body_validation("page_size", f"should be ≤ `{MAX_PAGE_SIZE}`, instead was `{raw}`.")
    if raw < 1:
        raise body_validation("page_size", f"should be ≥ `1`, instead was `{raw}`.")
    return raw


def query(store: Store, raw_id: str, body: JsonDict, version: str) -> tuple[list[Page], str | None]:
    """Matching pages for one response, and the cursor of the next one."""
    with store.lock:
        data_source = store.data_source(raw_id)
        size = page_size(body.get("page_size"))
        cursor = body.get("start_cursor")
        if cursor is not None:
            ids, next_cursor = _window(store, *_resume(store, cursor), size, short=True)
            return [store.pages[i] for i in ids if i in store.pages], next_cursor
        if "archived" in body and not has_archived_alias(version):
            raise body_validation("archived", "should be not present.")
        trashed = bool(body.get("in_trash", body.get("archived", False)))
        matching = [
            p
            for p in store.pages.values()
            if p.parent_type == "data_source_id"
            and p.parent_id == data_source.id
            and p.in_trash == trashed
        ]
        if "filter" in body and body["filter"] is not None:
            predicate = FilterCompiler(store, data_source, store.clock.now()).compile(
                body["filter"]
            )
            matching = [p for p in matching if predicate(p)]
        ordered = sort_pages(store, data_source, matching, body.get("sorts"))
        ids, next_cursor = _window(
            store, _open(store, [p.id for p in ordered]), 0, size, short=True
        )
        return [store.pages[i] for i in ids], next_cursor


def _open(store: Store, ids: list[str]) -> str:
    snapshots = store.query_options.snapshots
    snapshot = new_uuid()
    snapshots[snapshot] = ids
    while len(snapshots) > MAX_SNAPSHOTS:
        snapshots.popitem(last=False)
    return snapshot


def _resume(store: Store, cursor: Any) -> tuple[str, int]:
    parts = cursor.split(":") if isinstance(cursor, str) else []
    ids = (
        store.query_options.snapshots.get(parts[1]) if len(parts) == 3 and parts[0] == "s" else None
    )
    if ids is None or parts[2] not in ids:
        raise validation(f"The start_cursor provided is invalid: {cursor}")
    return parts[1], ids.index(parts[2])


def _window(
    store: Store, snapshot: str, offset: int, size: int, *, short: bool
) -> tuple[list[str], str | None]:
    ids = store.query_options.snapshots[snapshot]
    options = store.query_options
    if short and options.short_page_size is not None:
        limit = options.short_page_size
        if options.short_page_rng is not None:
            limit = options.short_page_rng.randint(1, limit)
        # Short pages only ever come with has_more: true, as in Notion.
        if offset + limit < len(ids):
            size = max(1, min(size, limit))
    more = offset + size < len(ids)
    return ids[offset : offset + size], f"s:{snapshot}:{ids[offset + size]}" if more else None


def sort_pages(
    store: Store, data_source: DataSource | None, pages: list[Page], raw_sorts: Any
) -> list[Page]:
    # Without sorts Notion lists the newest pages first (recorded: 110 pages, Page 110 first).
    ordered = sorted(pages, key=lambda p: (p.created_time, p.seq), reverse=True)
    if raw_sorts is None:
        return ordered
    if not isinstance(raw_sorts, list):
        raise body_validation(
            "sorts", f"should be an array, instead was `{json.dumps(raw_sorts)}`."
        )
    for i, raw in reversed(list(enumerate(raw_sorts))):
        key, descending = _sort_key(store, data_source, raw, f"sorts[{i}]")
        present = [p for p in ordered if key(p) is not None]
        absent = [p for p in ordered if key(p) is None]
        present.sort(key=key, reverse=descending)
        ordered = present + absent  # empty values last, whatever the direction
    return ordered


def _sort_key(
    store: Store, data_source: DataSource | None, raw: Any, path: str
) -> tuple[Callable[[Page], Any], bool]:
    if not isinstance(raw, dict):
        raise body_validation(path, f"should be an object, instead was `{json.dumps(raw)}`.")
    direction = raw.get("direction", "ascending")
    if direction not in ("ascending", "descending"):
        raise body_validation(
            f"{path}.direction",
            f"should be `ascending` or `descending`, instead was `{json.dumps(direction)}`.",
        )
    descending = direction == "descending"
    if "timestamp" in raw:
        field = raw["timestamp"]
        if field not in ("created_time", "last_edited_time"):
            raise body_validation(
                f"{path}.timestamp",
                "should be `created_time` or `last_edited_time`, "
                f"instead was `{json.dumps(field)}`.",
            )
        return (lambda page: getattr(page, field)), descending
    key = str(raw.get("property"))
    prop = data_source.by_name_or_id(key) if data_source else None
    if prop is None:
        raise validation(f"Could not find sort property with name or id: {key}")
    return (lambda page: _sortable(store, page, prop)), descending


def _sortable(store: Store, page: Page, prop: PropertySchema) -> Any:
    value = store.computed(page, prop)
    kind = prop.type
    if kind in ("title", "rich_text"):
        return plain_text(value or []).lower() or None
    if kind in ("select", "status", "multi_select"):
        chosen = value[0] if kind == "multi_select" and value else value
        ids = [o["id"] for o in prop.config.get("options", [])]
        return ids.index(chosen) if chosen in ids else None
    if kind == "date":
        return value["start"] if isinstance(value, dict) else None
    if kind == "checkbox":
        return bool(value)
    if kind in ("relation", "people", "files"):
        return len(value) if value else None
    if kind == "unique_id":
        return value["number"] if isinstance(value, dict) else None
    if kind == "formula":
        return value.get(value.get("type")) if isinstance(value, dict) else None
    if kind in ("created_by", "last_edited_by"):
        return str(value)
    return value


def property_items(
    store: Store, page_id: str, property_id: str, start_cursor: str | None, size: int
) -> tuple[PropertySchema, Page, list[Any] | None, str | None]:
    """The property, its page, one slice of its list (None for single values), next cursor."""
    with store.lock:
        page = store.page(page_id)
        wanted = canonical_property_id(property_id)
        prop = next((p for p in store.schema_of(page) if p.id == wanted), None)
        if prop is None:
            raise validation(f"Could not find property with ID: {property_id}")
        if prop.type not in PAGINATED_TYPES:
            return prop, page, None, None
        elements = list(store.computed(page, prop) or [])
        offset = 0
        if start_cursor:
            offset = _decode_item_cursor(start_cursor, page.id, prop.id)
        chunk = elements[offset : offset + size]
        more = offset + size < len(elements)
        return (
            prop,
            page,
            chunk,
            _encode_item_cursor(page.id, prop.id, offset + size) if more else None,
        )


def _encode_item_cursor(page_id: str, property_id: str, offset: int) -> str:
    return base64.urlsafe_b64encode(f"{page_id}|{property_id}|{offset}".encode()).decode()


def _decode_item_cursor(cursor: str, page_id: str, property_id: str) -> int:
    try:
        owner, prop, offset = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        if owner != page_id or prop != property_id:
            raise ValueError(cursor)
        return int(offset)
    except ValueError as exc:
        raise validation(f"The start_cursor provided is invalid: {cursor}") from exc


def search(
    store: Store, body: JsonDict, version: str
) -> tuple[list[Page | DataSource], str | None]:
    with store.lock:
        size = page_size(body.get("page_size"))
        cursor = body.get("start_cursor")
        if cursor is not None:
            ids, next_cursor = _window(store, *_resume(store, cursor), size, short=False)
            return _objects(store, ids), next_cursor
        text = str(body.get("query") or "").lower()
        wanted = _search_object_filter(body.get("filter"))
        found: list[Page | DataSource] = []
        if wanted in (None, "page"):
            found += [
                p
                for p in store.pages.values()
                if not p.in_trash and text in store.page_title(p).lower()
            ]
        if wanted in (None, "data_source"):
            found += [
                d
                for d in store.data_sources.values()
                if not d.in_trash and text in plain_text(d.title).lower()
            ]
        sort = body.get("sort") or {}
        ascending = isinstance(sort, dict) and sort.get("direction") == "ascending"
        found.sort(key=lambda o: o.last_edited_time, reverse=not ascending)
        ids, next_cursor = _window(store, _open(store, [o.id for o in found]), 0, size, short=False)
        return _objects(store, ids), next_cursor


def _search_object_filter(raw: Any) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or raw.get("property") != "object":
        raise body_validation("filter.property", "should be `object`.")
    value = raw.get("value")
    if value not in ("page", "data_source"):
        raise body_validation(
            "filter.value", f"should be `page` or `data_source`, instead was `{json.dumps(value)}`."
        )
    return str(value)


def _objects(store: Store, ids: list[str]) -> list[Page | DataSource]:
    out: list[Page | DataSource] = []
    for object_id in ids:
        if object_id in store.pages:
            out.append(store.pages[object_id])
        elif object_id in store.data_sources:
            out.append(store.data_sources[object_id])
    return out
