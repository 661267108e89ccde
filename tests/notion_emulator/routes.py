"""The Notion endpoints the emulator answers, as (method, path pattern) -> handler."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from . import databases, errors, pages, queries, render
from .errors import JsonDict, NotionError
from .ids import normalize_uuid
from .model import Page
from .store import Store


@dataclass
class RequestContext:
    store: Store
    version: str
    actor: str
    body: JsonDict
    query: dict[str, list[str]] = field(default_factory=dict)
    base_url: str = "https://api.notion.com"

    def first(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None


Handler = Callable[..., JsonDict]


@dataclass(frozen=True)
class Route:
    method: str
    template: str  # for request counters, e.g. /v1/pages/{page_id}
    pattern: re.Pattern[str]
    handler: Handler


def _route(method: str, template: str, handler: Handler) -> Route:
    regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
    return Route(method, template, re.compile(f"^{regex}/?$"), handler)


def match(method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    for route in ROUTES:
        found = route.pattern.match(path)
        if found and route.method == method:
            return route, found.groupdict()
    return None


def template_for(path: str) -> str:
    for route in ROUTES:
        if route.pattern.match(path):
            return route.template
    return path


def checked_id(raw: str, name: str) -> str:
    normalized = normalize_uuid(raw)
    if normalized is None:
        raise errors.validation(
            f'path failed validation: path.{name} should be a valid uuid, instead was `"{raw}"`.'
        )
    return normalized


def _list(
    results: list[JsonDict], next_cursor: str | None, kind: str = "page_or_data_source"
) -> JsonDict:
    return {
        "object": "list",
        "results": results,
        "next_cursor": next_cursor,
        "has_more": next_cursor is not None,
        "type": kind,
        kind: {},
    }


# -- users -------------------------------------------------------------------------------


def users_me(ctx: RequestContext) -> JsonDict:
    me = ctx.store.user_json(ctx.actor)
    assert me is not None
    return me


def users_get(ctx: RequestContext, user_id: str) -> JsonDict:
    user = ctx.store.user(checked_id(user_id, "user_id"))
    out = ctx.store.user_json(user.id, directory=True)
    assert out is not None
    return out


def users_list(ctx: RequestContext) -> JsonDict:
    everyone = [ctx.store.user_json(u, directory=True) for u in ctx.store.users]
    return _list([u for u in everyone if u is not None], None, "user")


# -- databases and data sources ------------------------------------------------------------


def databases_create(ctx: RequestContext) -> JsonDict:
    database = databases.create_database(ctx.store, ctx.body, ctx.actor, ctx.version)
    return render.database(ctx.store, database, ctx.version)


def databases_get(ctx: RequestContext, database_id: str) -> JsonDict:
    database = ctx.store.database(checked_id(database_id, "database_id"))
    return render.database(ctx.store, database, ctx.version)


def databases_update(ctx: RequestContext, database_id: str) -> JsonDict:
    checked_id(database_id, "database_id")
    database = databases.update_database(ctx.store, database_id, ctx.body, ctx.actor, ctx.version)
    return render.database(ctx.store, database, ctx.version)


def data_sources_create(ctx: RequestContext) -> JsonDict:
    data_source = databases.create_data_source(ctx.store, ctx.body, ctx.actor, ctx.version)
    return render.data_source(ctx.store, data_source, ctx.version)


def data_sources_get(ctx: RequestContext, data_source_id: str) -> JsonDict:
    data_source = ctx.store.data_source(checked_id(data_source_id, "data_source_id"))
    return render.data_source(ctx.store, data_source, ctx.version)


def data_sources_update(ctx: RequestContext, data_source_id: str) -> JsonDict:
    checked_id(data_source_id, "data_source_id")
    data_source = databases.update_data_source(
        ctx.store, data_source_id, ctx.body, ctx.actor, ctx.version
    )
    return render.data_source(ctx.store, data_source, ctx.version)


def data_sources_query(ctx: RequestContext, data_source_id: str) -> JsonDict:
    checked_id(data_source_id, "data_source_id")
    found, next_cursor = queries.query(ctx.store, data_source_id, ctx.body, ctx.version)
    only = set(ctx.query.get("filter_properties", [])) or None
    with ctx.store.lock:
        results = [render.page(ctx.store, p, ctx.version, only) for p in found]
    return _list(results, next_cursor)


# -- pages -------------------------------------------------------------------------------


def pages_create(ctx: RequestContext) -> JsonDict:
    page = pages.create_page(ctx.store, ctx.body, ctx.actor, ctx.version)
    with ctx.store.lock:
        return render.page(ctx.store, page, ctx.version)


def pages_get(ctx: RequestContext, page_id: str) -> JsonDict:
    with ctx.store.lock:
        page = ctx.store.page(checked_id(page_id, "page_id"))
        only = set(ctx.query.get("filter_properties", [])) or None
        return render.page(ctx.store, page, ctx.version, only)


def pages_update(ctx: RequestContext, page_id: str) -> JsonDict:
    checked_id(page_id, "page_id")
    page = pages.update_page(ctx.store, page_id, ctx.body, ctx.actor, ctx.version)
    with ctx.store.lock:
        return render.page(ctx.store, page, ctx.version)


def pages_property(ctx: RequestContext, page_id: str, property_id: str) -> JsonDict:
    checked_id(page_id, "page_id")
    size = queries.page_size(ctx.first("page_size"))
    with ctx.store.lock:
        prop, page, chunk, next_cursor = queries.property_items(
            ctx.store, page_id, property_id, ctx.first("start_cursor"), size
        )
        if chunk is None:
            return {
                "object": "property_item",
                "id": prop.id,
                "type": prop.type,
                prop.type: render.scalar_item(ctx.store, page, prop),
            }
        results = [
            {
                "object": "property_item",
                "type": prop.type,
                "id": prop.id,
                prop.type: render.item_value(ctx.store, prop, element),
            }
            for element in chunk
        ]
    out = _list(results, next_cursor, "property_item")
    next_url = None
    if next_cursor is not None:
        next_url = (
            f"{ctx.base_url}/v1/pages/{page.id}/properties/{prop.id}?start_cursor={next_cursor}"
        )
    out["property_item"] = {"id": prop.id, "next_url": next_url, "type": prop.type, prop.type: {}}
    return out


# -- search and the page/database blocks ---------------------------------------------------


def search(ctx: RequestContext) -> JsonDict:
    found, next_cursor = queries.search(ctx.store, ctx.body, ctx.version)
    with ctx.store.lock:
        results = [
            render.page(ctx.store, item, ctx.version)
            if isinstance(item, Page)
            else render.data_source(ctx.store, item, ctx.version)
            for item in found
        ]
    return _list(results, next_cursor)


def _block_target(ctx: RequestContext, block_id: str) -> str:
    object_id = checked_id(block_id, "block_id")
    if object_id not in ctx.store.pages and object_id not in ctx.store.databases:
        raise ctx.store.not_found("block", object_id)
    return object_id


def blocks_delete(ctx: RequestContext, block_id: str) -> JsonDict:
    object_id = _block_target(ctx, block_id)
    databases.trash_object(ctx.store, object_id, True, ctx.actor)
    with ctx.store.lock:
        return render.block_for(ctx.store, object_id, ctx.version)


def blocks_update(ctx: RequestContext, block_id: str) -> JsonDict:
    object_id = _block_target(ctx, block_id)
    flags = [ctx.body[k] for k in ("in_trash", "archived") if k in ctx.body]
    if flags:
        databases.trash_object(ctx.store, object_id, bool(flags[0]), ctx.actor)
    with ctx.store.lock:
        return render.block_for(ctx.store, object_id, ctx.version)


ROUTES: list[Route] = [
    _route("GET", "/v1/users/me", users_me),
    _route("GET", "/v1/users/{user_id}", users_get),
    _route("GET", "/v1/users", users_list),
    _route("POST", "/v1/databases", databases_create),
    _route("GET", "/v1/databases/{database_id}", databases_get),
    _route("PATCH", "/v1/databases/{database_id}", databases_update),
    _route("POST", "/v1/data_sources", data_sources_create),
    _route("GET", "/v1/data_sources/{data_source_id}", data_sources_get),
    _route("PATCH", "/v1/data_sources/{data_source_id}", data_sources_update),
    _route("POST", "/v1/data_sources/{data_source_id}/query", data_sources_query),
    _route("POST", "/v1/pages", pages_create),
    _route("GET", "/v1/pages/{page_id}", pages_get),
    _route("PATCH", "/v1/pages/{page_id}", pages_update),
    _route("GET", "/v1/pages/{page_id}/properties/{property_id}", pages_property),
    _route("POST", "/v1/search", search),
    _route("DELETE", "/v1/blocks/{block_id}", blocks_delete),
    _route("PATCH", "/v1/blocks/{block_id}", blocks_update),
]


def call(route: Route, ctx: RequestContext, params: dict[str, str]) -> JsonDict:
    try:
        return route.handler(ctx, **params)
    except NotionError:
        raise
    except KeyError as exc:
        # A lookup on an id the request named but the store lacks (e.g. a relation target).
        raise errors.validation(f"Unknown id: {exc.args[0]}") from exc
