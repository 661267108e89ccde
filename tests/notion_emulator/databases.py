"""Databases and their data sources: create, update, schema changes, trash."""

from __future__ import annotations

import json
from typing import Any

from . import icons, richtext
from .errors import JsonDict, body_validation, validation
from .ids import new_uuid
from .model import Database, DataSource
from .pages import set_trash
from .render import has_archived_alias
from .schema_changes import add_property, change_schema, emit_schema_updated
from .store import Change, Store

DEFAULT_PROPERTIES: JsonDict = {"Name": {"type": "title", "title": {}}}


def create_database(store: Store, body: JsonDict, actor: str, version: str) -> Database:
    with store.lock:
        parent = body.get("parent")
        if not isinstance(parent, dict) or not isinstance(parent.get("page_id"), str):
            raise body_validation("parent.page_id", "should be defined, instead was `undefined`.")
        parent_page = store.page(parent["page_id"])
        given_title = _rich(store, body.get("title", []), "title")
        initial = body.get("initial_data_source") or {}
        if not isinstance(initial, dict):
            raise body_validation("initial_data_source", "should be an object.")
        raw_properties = initial.get("properties") or DEFAULT_PROPERTIES
        now = store.clock.now()
        database = Database(
            id=new_uuid(),
            title=given_title,
            description=_rich(store, body.get("description", []), "description"),
            parent={"type": "page_id", "page_id": parent_page.id},
            is_inline=bool(body.get("is_inline", False)),
            created_time=now,
            last_edited_time=now,
            created_by=actor,
            last_edited_by=actor,
            icon=icons.normalize(body.get("icon")),
            cover=body.get("cover"),
        )
        store.databases[database.id] = database
        try:
            data_source = _new_data_source(
                store,
                database,
                raw_properties,
                given_title,
                actor,
                icon=None,
                path="initial_data_source.properties",
            )
        except Exception:
            del store.databases[database.id]
            raise
        store.touch_container(parent_page.id, actor)
        store.emit(
            Change(
                "database.created",
                database.id,
                "database",
                {"parent": {"id": parent_page.id, "type": "page"}},
                actor,
            )
        )
        store.emit(
            Change(
                "data_source.created",
                data_source.id,
                "data_source",
                {"parent": {"id": database.id, "type": "database"}},
                actor,
            )
        )
        return database


def create_data_source(store: Store, body: JsonDict, actor: str, version: str) -> DataSource:
    with store.lock:
        parent = body.get("parent")
        if not isinstance(parent, dict) or not isinstance(parent.get("database_id"), str):
            raise body_validation(
                "parent.database_id", "should be defined, instead was `undefined`."
            )
        database = store.database(parent["database_id"])
        raw_properties = body.get("properties")
        if not isinstance(raw_properties, dict):
            raise body_validation("properties", "should be defined, instead was `undefined`.")
        data_source = _new_data_source(
            store,
            database,
            raw_properties,
            _rich(store, body.get("title", []), "title"),
            actor,
            icon=icons.normalize(body.get("icon")),
            path="properties",
        )
        store.emit(
            Change(
                "data_source.created",
                data_source.id,
                "data_source",
                {"parent": {"id": database.id, "type": "database"}},
                actor,
            )
        )
        return data_source


def update_database(
    store: Store, raw_id: str, body: JsonDict, actor: str, version: str
) -> Database:
    with store.lock:
        database = store.database(raw_id)
        trash = _trash_flag(body, version)
        if "title" in body:
            database.title = _rich(store, body["title"], "title")
            if len(database.data_source_ids) == 1:
                store.data_sources[database.data_source_ids[0]].title = database.title
        if "description" in body:
            database.description = _rich(store, body["description"], "description")
        if "icon" in body:
            database.icon = icons.normalize(body["icon"])
        if "cover" in body:
            database.cover = body["cover"]
        if "is_inline" in body:
            database.is_inline = bool(body["is_inline"])
        if "is_locked" in body:
            database.is_locked = bool(body["is_locked"])
        if trash is not None:
            set_database_trash(store, database, trash)
            store.touch_container(database.parent.get("page_id"), actor)
        return database


def set_database_trash(store: Store, database: Database, trashed: bool) -> None:
    database.in_trash = trashed
    for ds_id in database.data_source_ids:
        store.data_sources[ds_id].in_trash = trashed


def update_data_source(
    store: Store, raw_id: str, body: JsonDict, actor: str, version: str
) -> DataSource:
    with store.lock:
        data_source = store.data_source(raw_id)
        trash = _trash_flag(body, version)
        raw_properties = body.get("properties")
        if raw_properties is not None and not isinstance(raw_properties, dict):
            raise body_validation(
                "properties", f"should be an object, instead was `{json.dumps(raw_properties)}`."
            )
        changes = change_schema(store, data_source, raw_properties or {}, actor)
        if "title" in body:
            data_source.title = _rich(store, body["title"], "title")
            database = store.databases[data_source.database_id]
            # A database with one data source is that source: renaming one renames both.
            if database.data_source_ids == [data_source.id]:
                database.title = data_source.title
        if "icon" in body:
            data_source.icon = icons.normalize(body["icon"])
        if trash is not None:
            data_source.in_trash = trash
        if changes or "title" in body:
            data_source.last_edited_time = store.clock.now()
            data_source.last_edited_by = actor
        if changes:
            emit_schema_updated(store, data_source, changes, actor)
        return data_source


def trash_object(store: Store, object_id: str, trashed: bool, actor: str) -> None:
    """DELETE /v1/blocks/{id} on a page or a database (the only blocks emulated)."""
    with store.lock:
        if object_id in store.pages:
            set_trash(store, store.pages[object_id], trashed, actor)
        else:
            database = store.databases[object_id]
            set_database_trash(store, database, trashed)
            store.touch_container(database.parent.get("page_id"), actor)


def _trash_flag(body: JsonDict, version: str) -> bool | None:
    if "archived" in body and not has_archived_alias(version):
        raise body_validation(
            "archived", f"should be not present, instead was `{json.dumps(body['archived'])}`."
        )
    for key in ("in_trash", "archived"):
        if key in body:
            return bool(body[key])
    return None


def _rich(store: Store, raw: Any, path: str) -> list[JsonDict]:
    return richtext.normalize(raw, path, store.user_json)


def _new_data_source(
    store: Store,
    database: Database,
    raw_properties: Any,
    title: list[JsonDict],
    actor: str,
    *,
    icon: JsonDict | None,
    path: str,
) -> DataSource:
    if not isinstance(raw_properties, dict):
        raise body_validation(path, "should be an object.")
    now = store.clock.now()
    data_source = DataSource(
        id=new_uuid(),
        database_id=database.id,
        title=title,
        description=[],
        properties={},
        created_time=now,
        last_edited_time=now,
        created_by=actor,
        last_edited_by=actor,
        icon=icon,
    )
    store.data_sources[data_source.id] = data_source
    try:
        for name, raw in raw_properties.items():
            if raw is None:
                continue
            add_property(store, data_source, name, raw, f"{path}.{name}", actor)
        titles = [p for p in data_source.properties.values() if p.type == "title"]
        if len(titles) != 1:
            raise validation(
                f"A data source needs exactly one title property; {len(titles)} given."
            )
    except Exception:
        del store.data_sources[data_source.id]
        raise
    database.data_source_ids.append(data_source.id)
    return data_source
