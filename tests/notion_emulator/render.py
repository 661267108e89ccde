"""Objects as Notion returns them, for one Notion-Version.

Shapes follow the recordings: pages and data sources carry minute-truncated timestamps,
databases keep milliseconds; `archived` (an alias of `in_trash`) only exists before
2026-03-11; relation lists on a page stop at 25 with `has_more`.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from . import formula
from .clock import millis_iso, minute_iso
from .errors import JsonDict
from .ids import compact
from .model import Database, DataSource, Page, PropertySchema
from .richtext import plain_text, text_item
from .store import Store

PAGE_REFERENCE_LIMIT = 25
# What Notion shows (and returns) for a database whose title is empty.
UNTITLED_DATABASE = "New database"
VERSION_WITHOUT_ARCHIVED = "2026-03-11"


def has_archived_alias(version: str) -> bool:
    return version < VERSION_WITHOUT_ARCHIVED


def _user_ref(user_id: str) -> JsonDict:
    return {"object": "user", "id": user_id}


def _slug_url(title: str, object_id: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-")
    return f"https://www.notion.so/{slug + '-' if slug else ''}{compact(object_id)}"


def page(store: Store, page: Page, version: str, only: set[str] | None = None) -> JsonDict:
    parent: JsonDict
    data_source = store.data_source_of(page)
    if data_source is not None:
        parent = {
            "type": "data_source_id",
            "data_source_id": data_source.id,
            "database_id": data_source.database_id,
        }
    elif page.parent_type == "page_id":
        parent = {"type": "page_id", "page_id": page.parent_id}
    else:
        parent = {"type": "workspace", "workspace": True}
    properties: JsonDict = {}
    for prop in store.schema_of(page):
        if only is None or prop.id in only:
            properties[prop.name] = property_value(store, page, prop)
    out: JsonDict = {
        "object": "page",
        "id": page.id,
        "created_time": minute_iso(page.created_time),
        "last_edited_time": minute_iso(page.last_edited_time),
        "created_by": _user_ref(page.created_by),
        "last_edited_by": _user_ref(page.last_edited_by),
        "cover": page.cover,
        "icon": page.icon,
        "parent": parent,
        "in_trash": page.in_trash,
        "is_archived": False,
        "is_locked": page.is_locked,
        "properties": properties,
        "url": _slug_url(store.page_title(page), page.id),
        "public_url": None,
    }
    if has_archived_alias(version):
        out["archived"] = page.in_trash
    return out


def property_value(store: Store, page: Page, prop: PropertySchema) -> JsonDict:
    out: JsonDict = {"id": prop.id, "type": prop.type}
    value = store.computed(page, prop)
    kind = prop.type
    if kind == "relation":
        ids = list(value or [])
        out["relation"] = [{"id": i} for i in ids[:PAGE_REFERENCE_LIMIT]]
        out["has_more"] = len(ids) > PAGE_REFERENCE_LIMIT
        return out
    if kind == "people":
        ids = list(value or [])
        out["people"] = [store.user_json(i) or _user_ref(i) for i in ids[:PAGE_REFERENCE_LIMIT]]
        if len(ids) > PAGE_REFERENCE_LIMIT:
            out["has_more"] = True
        return out
    out[kind] = _scalar(store, prop, value)
    return out


def _scalar(store: Store, prop: PropertySchema, value: Any) -> Any:
    kind = prop.type
    if kind in ("title", "rich_text", "files"):
        return list(value or [])
    if kind == "checkbox":
        return bool(value)
    if kind in ("select", "status"):
        option = store.option(prop, value)
        return None if option is None else {k: option[k] for k in ("id", "name", "color")}
    if kind == "multi_select":
        chosen = [store.option(prop, option_id) for option_id in value or []]
        return [{k: o[k] for k in ("id", "name", "color")} for o in chosen if o is not None]
    if kind in ("created_time", "last_edited_time"):
        assert isinstance(value, datetime)
        return minute_iso(value)
    if kind in ("created_by", "last_edited_by"):
        return store.user_json(str(value), brief_bot=True) or _user_ref(str(value))
    return value


def item_value(store: Store, prop: PropertySchema, element: Any) -> Any:
    """One element of a paginated property item list."""
    if prop.type == "relation":
        return {"id": element}
    if prop.type == "people":
        return store.user_json(str(element)) or _user_ref(str(element))
    return element


def scalar_item(store: Store, page: Page, prop: PropertySchema) -> Any:
    return _scalar(store, prop, store.computed(page, prop))


def schema_property(store: Store, data_source: DataSource, prop: PropertySchema) -> JsonDict:
    out: JsonDict = {
        "id": prop.id,
        "name": prop.name,
        "description": prop.description,
        "type": prop.type,
    }
    config = prop.config
    if prop.type == "relation":
        target = store.data_sources.get(config["data_source_id"])
        rendered: JsonDict = {
            "database_id": target.database_id if target else None,
            "data_source_id": config["data_source_id"],
            "type": config["type"],
        }
        if config["type"] == "dual_property":
            synced = target.properties.get(config.get("synced_property_id", "")) if target else None
            rendered["dual_property"] = {
                "synced_property_name": synced.name if synced else None,
                "synced_property_id": synced.id if synced else None,
            }
        else:
            rendered["single_property"] = {}
        out["relation"] = rendered
    elif prop.type == "formula":

        def resolve(name: str) -> str | None:
            found = data_source.by_name_or_id(name)
            return found.id if found else None

        expression = formula.to_stored_form(
            config.get("expression", ""), resolve, data_source.id, store.integration.workspace_id
        )
        out["formula"] = {"expression": expression}
    elif prop.type in ("select", "multi_select", "status"):
        out[prop.type] = {k: v for k, v in config.items()}
        out[prop.type]["options"] = [dict(option) for option in config.get("options", [])]
    else:
        out[prop.type] = dict(config)
    return out


def data_source(store: Store, data_source: DataSource, version: str) -> JsonDict:
    database = store.databases[data_source.database_id]
    out: JsonDict = {
        "object": "data_source",
        "id": data_source.id,
        "cover": data_source.cover,
        "icon": data_source.icon,
        "created_time": minute_iso(data_source.created_time),
        "created_by": _user_ref(data_source.created_by),
        "last_edited_by": _user_ref(data_source.last_edited_by),
        "last_edited_time": minute_iso(data_source.last_edited_time),
        "title": data_source.title,
        # A data source shows its database's description (recorded: test_description_setter).
        "description": database.description,
        "is_inline": database.is_inline,
        "properties": {
            prop.name: schema_property(store, data_source, prop)
            for prop in data_source.properties.values()
        },
        "parent": {"type": "database_id", "database_id": database.id},
        "database_parent": database.parent,
        "url": _slug_url("", database.id),
        "public_url": None,
        "in_trash": data_source.in_trash,
    }
    if has_archived_alias(version):
        out["archived"] = data_source.in_trash
    return out


def data_source_name(store: Store, data_source: DataSource) -> str:
    database = store.databases[data_source.database_id]
    return plain_text(data_source.title) or plain_text(database_title(database))


def database_title(database: Database) -> list[JsonDict]:
    return database.title or [text_item(UNTITLED_DATABASE)]


def database(store: Store, database: Database, version: str) -> JsonDict:
    out: JsonDict = {
        "object": "database",
        "id": database.id,
        "title": database_title(database),
        "description": database.description,
        "parent": database.parent,
        "is_inline": database.is_inline,
        "in_trash": database.in_trash,
        "is_locked": database.is_locked,
        "created_time": millis_iso(database.created_time),
        "last_edited_time": millis_iso(database.last_edited_time),
        "data_sources": [
            {"id": ds_id, "name": data_source_name(store, store.data_sources[ds_id])}
            for ds_id in database.data_source_ids
        ],
        "icon": database.icon,
        "cover": database.cover,
        "url": _slug_url("", database.id),
        "public_url": None,
    }
    if has_archived_alias(version):
        out["archived"] = database.in_trash
    return out


def block_for(store: Store, object_id: str, version: str) -> JsonDict:
    """The child_page / child_database block that stands for a page or a database."""
    if object_id in store.pages:
        item = store.pages[object_id]
        parent = page(store, item, version)["parent"]
        kind, title = "child_page", store.page_title(item)
        created, edited = item.created_time, item.last_edited_time
        created_by, edited_by, trashed = item.created_by, item.last_edited_by, item.in_trash
    else:
        db = store.databases[object_id]
        parent, kind, title = db.parent, "child_database", plain_text(database_title(db))
        created, edited = db.created_time, db.last_edited_time
        created_by, edited_by, trashed = db.created_by, db.last_edited_by, db.in_trash
    has_children = any(
        p.parent_id == object_id for p in store.pages.values() if not p.in_trash
    ) or any(
        d.parent.get("page_id") == object_id for d in store.databases.values() if not d.in_trash
    )
    out: JsonDict = {
        "object": "block",
        "id": object_id,
        "parent": parent,
        "created_time": minute_iso(created),
        "last_edited_time": minute_iso(edited),
        "created_by": _user_ref(created_by),
        "last_edited_by": _user_ref(edited_by),
        "has_children": has_children,
        "in_trash": trashed,
        "type": kind,
        kind: {"title": title},
    }
    if has_archived_alias(version):
        out["archived"] = trashed
    return out
