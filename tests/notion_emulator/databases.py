"""Databases and their data sources: create, update, schema changes, trash."""

from __future__ import annotations

import json
from typing import Any

from . import icons, richtext
from .errors import JsonDict, body_validation, validation
from .ids import new_property_id, new_uuid
from .model import Database, DataSource, PropertySchema
from .pages import set_trash
from .render import has_archived_alias
from .schema import build_config, declared_type
from .store import TITLE_ID, Change, Store

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
        changes = _change_schema(store, data_source, raw_properties or {}, actor)
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


def emit_schema_updated(
    store: Store, data_source: DataSource, changes: list[JsonDict], actor: str
) -> None:
    store.emit(
        Change(
            "data_source.schema_updated",
            data_source.id,
            "data_source",
            {
                "parent": {"id": data_source.database_id, "type": "database"},
                "updated_properties": changes,
            },
            actor,
        )
    )


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
            _add_property(store, data_source, name, raw, f"{path}.{name}", actor)
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


def _add_property(
    store: Store, data_source: DataSource, name: str, raw: Any, path: str, actor: str
) -> PropertySchema:
    if not isinstance(raw, dict):
        raise body_validation(path, f"should be an object, instead was `{json.dumps(raw)}`.")
    kind = declared_type(raw, path)
    if kind is None:
        raise body_validation(f"{path}.type", "should be defined, instead was `undefined`.")
    display_name = str(raw.get("name") or name)
    if any(p.name == display_name for p in data_source.properties.values()):
        raise validation(f"Property name {display_name} already exists.")
    if kind == "title" and any(p.type == "title" for p in data_source.properties.values()):
        raise validation("A data source can only have one title property.")
    prop_id = (
        TITLE_ID if kind == "title" else new_property_id(set(data_source.properties), store.rng)
    )
    prop = PropertySchema(
        id=prop_id,
        name=display_name,
        type=kind,
        config=build_config(kind, raw.get(kind), path, None),
        description=raw.get("description"),
    )
    data_source.properties[prop.id] = prop
    _link(store, data_source, prop, path, actor)
    return prop


def _link(
    store: Store, data_source: DataSource, prop: PropertySchema, path: str, actor: str
) -> None:
    """Resolve what a relation or rollup points at; create the far side of a two-way relation."""
    if prop.type == "relation":
        target = store.data_source(prop.config["data_source_id"])
        if prop.config["type"] == "dual_property":
            source_name = "".join(t.get("plain_text", "") for t in data_source.title) or "Untitled"
            synced = PropertySchema(
                id=new_property_id(set(target.properties) | {prop.id}, store.rng),
                name=f"Related to {source_name} ({prop.name})",
                type="relation",
                config={
                    "data_source_id": data_source.id,
                    "type": "dual_property",
                    "synced_property_id": prop.id,
                },
            )
            target.properties[synced.id] = synced
            prop.config["synced_property_id"] = synced.id
            if target is not data_source:
                emit_schema_updated(store, target, [_change(synced, "created")], actor)
    if prop.type == "rollup":
        relation = data_source.by_name_or_id(
            str(
                prop.config.get("relation_property_id") or prop.config.get("relation_property_name")
            )
        )
        if relation is None or relation.type != "relation":
            raise validation(f"Rollup {prop.name} needs an existing relation property.")
        target = store.data_source(relation.config["data_source_id"])
        rolled = target.by_name_or_id(
            str(prop.config.get("rollup_property_id") or prop.config.get("rollup_property_name"))
        )
        if rolled is None:
            raise validation(f"Rollup {prop.name} names a property the related data source lacks.")
        prop.config.update(
            {
                "rollup_property_name": rolled.name,
                "relation_property_name": relation.name,
                "rollup_property_id": rolled.id,
                "relation_property_id": relation.id,
                "function": prop.config.get("function", "count"),
            }
        )


def _change(prop: PropertySchema, action: str) -> JsonDict:
    return {"id": prop.id, "name": prop.name, "action": action}


def _change_schema(
    store: Store, data_source: DataSource, raw: JsonDict, actor: str
) -> list[JsonDict]:
    changes: list[JsonDict] = []
    for key, value in raw.items():
        path = f"properties.{key}"
        prop = data_source.by_name_or_id(key)
        if value is None:
            if prop is None:
                raise validation(f"{key} is not a property that exists.")
            if prop.type == "title":
                raise validation("Cannot delete the title property.")
            del data_source.properties[prop.id]
            changes.append(_change(prop, "deleted"))
        elif prop is None:
            changes.append(
                _change(_add_property(store, data_source, key, value, path, actor), "created")
            )
        else:
            if _update_property(store, data_source, prop, value, path, actor):
                changes.append(_change(prop, "updated"))
    return changes


def _update_property(
    store: Store, data_source: DataSource, prop: PropertySchema, raw: Any, path: str, actor: str
) -> bool:
    if not isinstance(raw, dict):
        raise body_validation(path, f"should be an object, instead was `{json.dumps(raw)}`.")
    changed = False
    new_name = raw.get("name")
    if isinstance(new_name, str) and new_name != prop.name:
        if any(p.name == new_name for p in data_source.properties.values()):
            raise validation(f"Property name {new_name} already exists.")
        prop.name = new_name
        changed = True
    if "description" in raw:
        prop.description = raw["description"]
        changed = True
    kind = declared_type(raw, path)
    if kind is None:
        return changed
    if prop.type == "title" and kind != "title":
        raise validation("Cannot change the type of the title property.")
    if kind != prop.type:
        # Property ids survive a type change; the old values do not carry over here.
        for page in store.pages.values():
            if page.parent_id == data_source.id:
                page.values.pop(prop.id, None)
        prop.type = kind
        prop.config = build_config(kind, raw.get(kind), path, None)
        _link(store, data_source, prop, path, actor)
        return True
    if kind in raw:
        before = json.dumps(prop.config, sort_keys=True)
        old_target = prop.config.get("data_source_id")
        prop.config = {**prop.config, **build_config(kind, raw.get(kind), path, prop)}
        if kind == "relation":
            retargeted = prop.config["data_source_id"] != old_target
            if prop.config["type"] == "single_property":
                prop.config.pop("synced_property_id", None)
            elif retargeted or not prop.config.get("synced_property_id"):
                _link(store, data_source, prop, path, actor)
        changed = changed or before != json.dumps(prop.config, sort_keys=True)
    return changed
