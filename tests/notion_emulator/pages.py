"""Page operations: create, update (properties, trash), with Notion's validation."""

from __future__ import annotations

import json
from typing import Any

from . import icons, values
from .errors import JsonDict, body_validation, validation
from .ids import new_uuid
from .model import DataSource, Page, PropertySchema
from .render import has_archived_alias
from .store import PAGE_TITLE_SCHEMA, Change, Store
from .values import WriteContext

MAX_CHILDREN = 100
_ARCHIVED_EDIT = "Can't edit block that is archived. You must unarchive the block before editing."


def write_context(store: Store) -> WriteContext:
    return WriteContext(user_json=store.user_json, page_exists=lambda pid: pid in store.pages)


def create_page(store: Store, body: JsonDict, actor: str, version: str) -> Page:
    with store.lock:
        parent_type, parent_id, data_source = _parent(store, body.get("parent"))
        children = body.get("children")
        if isinstance(children, list) and len(children) > MAX_CHILDREN:
            raise body_validation(
                "children.length", f"should be ≤ `{MAX_CHILDREN}`, instead was `{len(children)}`."
            )
        now = store.clock.now()
        page = Page(
            id=new_uuid(),
            parent_type=parent_type,
            parent_id=parent_id,
            values={},
            created_time=now,
            last_edited_time=now,
            created_by=actor,
            last_edited_by=actor,
            seq=store.next_seq(),
            icon=icons.normalize(body.get("icon")),
            cover=body.get("cover"),
        )
        written = _write(store, page, data_source, _properties(body), actor)
        if data_source is not None:
            _assign_unique_ids(data_source, page)
        store.pages[page.id] = page
        if parent_type == "page_id":
            store.touch_container(parent_id, actor)
        _sync_duals(store, page, written, {}, actor)
        store.emit(
            Change("page.created", page.id, "page", {"parent": store.page_parent_ref(page)}, actor)
        )
        return page


def update_page(store: Store, raw_id: str, body: JsonDict, actor: str, version: str) -> Page:
    with store.lock:
        page = store.page(raw_id)
        trash = _trash_flag(body, version)
        if (
            page.in_trash
            and trash is not False
            and ("properties" in body or "icon" in body or "cover" in body)
        ):
            raise validation(_ARCHIVED_EDIT)
        if trash is False and page.in_trash:
            set_trash(store, page, False, actor)
        data_source = store.data_source_of(page)
        before = {pid: list(v) for pid, v in page.values.items() if isinstance(v, list)}
        written = _write(store, page, data_source, _properties(body), actor)
        if "icon" in body:
            page.icon = icons.normalize(body["icon"])
        if "cover" in body:
            page.cover = body["cover"]
        if "is_locked" in body:
            page.is_locked = bool(body["is_locked"])
        if written or any(key in body for key in ("icon", "cover", "is_locked")):
            _touch(store, page, actor)
        if written:
            _sync_duals(store, page, written, before, actor)
            store.emit(
                Change(
                    "page.properties_updated",
                    page.id,
                    "page",
                    {"parent": store.page_parent_ref(page), "updated_properties": list(written)},
                    actor,
                )
            )
        if trash is True and not page.in_trash:
            set_trash(store, page, True, actor)
        return page


def set_trash(store: Store, page: Page, trashed: bool, actor: str) -> None:
    with store.lock:
        if page.in_trash == trashed:
            return
        page.in_trash = trashed
        _touch(store, page, actor)
        if page.parent_type == "page_id":
            store.touch_container(page.parent_id, actor)
        kind = "page.deleted" if trashed else "page.undeleted"
        store.emit(Change(kind, page.id, "page", {"parent": store.page_parent_ref(page)}, actor))


def _touch(store: Store, page: Page, actor: str) -> None:
    page.last_edited_time = store.clock.now()
    page.last_edited_by = actor


def _trash_flag(body: JsonDict, version: str) -> bool | None:
    if "archived" in body and not has_archived_alias(version):
        raise body_validation(
            "archived", f"should be not present, instead was `{json.dumps(body['archived'])}`."
        )
    for key in ("in_trash", "archived"):
        if key in body:
            if not isinstance(body[key], bool):
                raise body_validation(
                    key, f"should be a boolean, instead was `{json.dumps(body[key])}`."
                )
            return bool(body[key])
    return None


def _properties(body: JsonDict) -> JsonDict:
    raw = body.get("properties", {})
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise body_validation(
            "properties", f"should be an object, instead was `{json.dumps(raw)}`."
        )
    return raw


def _parent(store: Store, raw: Any) -> tuple[Any, str | None, DataSource | None]:
    if not isinstance(raw, dict):
        raise body_validation("parent", "should be defined, instead was `undefined`.")
    if isinstance(raw.get("data_source_id"), str):
        data_source = store.data_source(raw["data_source_id"])
        return "data_source_id", data_source.id, data_source
    if isinstance(raw.get("database_id"), str):
        database = store.database(raw["database_id"])
        if len(database.data_source_ids) != 1:
            raise validation(
                "Databases with multiple data sources are not supported in this API version. "
                "Use a data_source_id parent instead."
            )
        data_source = store.data_sources[database.data_source_ids[0]]
        return "data_source_id", data_source.id, data_source
    if isinstance(raw.get("page_id"), str):
        return "page_id", store.page(raw["page_id"]).id, None
    raise body_validation(
        "parent", "should be an object with one of page_id, database_id, data_source_id."
    )


def _write(
    store: Store, page: Page, data_source: DataSource | None, raw: JsonDict, actor: str
) -> dict[str, PropertySchema]:
    ctx = write_context(store)
    resolved: list[tuple[PropertySchema, Any, str]] = []
    for key, raw_value in raw.items():
        prop = (
            data_source.by_name_or_id(key)
            if data_source
            else (PAGE_TITLE_SCHEMA if key == "title" else None)
        )
        if prop is None:
            raise validation(f"{key} is not a property that exists.")
        resolved.append((prop, raw_value, f"properties.{key}"))
    # Validate every value before changing anything: a rejected request changes nothing.
    staged = [
        (prop, values.write(prop, raw_value, path, ctx)) for prop, raw_value, path in resolved
    ]
    for prop, stored in staged:
        page.values[prop.id] = stored
    return {prop.id: prop for prop, _ in staged}


def _assign_unique_ids(data_source: DataSource, page: Page) -> None:
    for prop in data_source.properties.values():
        if prop.type == "unique_id":
            number = data_source.unique_counters.get(prop.id, 0) + 1
            data_source.unique_counters[prop.id] = number
            page.values[prop.id] = {"prefix": prop.config.get("prefix"), "number": number}


def _sync_duals(
    store: Store,
    page: Page,
    written: dict[str, PropertySchema],
    before: dict[str, list[Any]],
    actor: str,
) -> None:
    """Keep two-way relations symmetric: the related pages gain or lose the back link."""
    for prop in written.values():
        if prop.type != "relation" or prop.config.get("type") != "dual_property":
            continue
        synced_id = prop.config.get("synced_property_id")
        old, new = set(before.get(prop.id, [])), set(page.values.get(prop.id) or [])
        for other_id in old ^ new:
            other = store.pages.get(other_id)
            if other is None or synced_id is None:
                continue
            links: list[str] = list(other.values.get(synced_id) or [])
            if other_id in new and page.id not in links:
                links.append(page.id)
            elif other_id in old and other_id not in new and page.id in links:
                links.remove(page.id)
            else:
                continue
            other.values[synced_id] = links
            _touch(store, other, actor)
            store.emit(
                Change(
                    "page.properties_updated",
                    other.id,
                    "page",
                    {"parent": store.page_parent_ref(other), "updated_properties": [synced_id]},
                    actor,
                )
            )
