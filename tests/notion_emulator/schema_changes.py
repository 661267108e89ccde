"""Schema changes on a data source: add, rename, retype, delete properties, and the far
side of two-way relations. Property ids survive renames and type changes."""

from __future__ import annotations

import json
from typing import Any

from .errors import JsonDict, body_validation, validation
from .ids import new_property_id
from .model import DataSource, PropertySchema
from .schema import build_config, declared_type
from .store import TITLE_ID, Change, Store


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


def add_property(
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


def change_schema(
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
                _change(add_property(store, data_source, key, value, path, actor), "created")
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
