"""Page property writes: validate a value from a request body and turn it into stored form."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import dates, richtext
from .errors import JsonDict, body_validation, validation
from .ids import new_uuid, normalize_uuid
from .model import PropertySchema
from .schema import ALL_TYPES, COMPUTED_TYPES

MAX_LIST_ITEMS = 100


@dataclass(frozen=True)
class WriteContext:
    user_json: Callable[[str], JsonDict | None]
    page_exists: Callable[[str], bool]


def write(prop: PropertySchema, raw: Any, path: str, ctx: WriteContext) -> Any:
    value = _unwrap(prop, raw)
    kind = prop.type
    if kind in COMPUTED_TYPES:
        raise validation(f"{prop.name} is a computed property and cannot be written.")
    if kind in ("title", "rich_text"):
        return richtext.normalize(value, f"{path}.{kind}", ctx.user_json)
    if kind == "number":
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise body_validation(
                f"{path}.number",
                f"should be a number or `null`, instead was `{json.dumps(value)}`.",
            )
        return value
    if kind == "checkbox":
        if not isinstance(value, bool):
            raise body_validation(
                f"{path}.checkbox", f"should be a boolean, instead was `{json.dumps(value)}`."
            )
        return value
    if kind in ("url", "email", "phone_number"):
        if value is not None and not isinstance(value, str):
            raise body_validation(
                f"{path}.{kind}",
                f"should be a string or `null`, instead was `{json.dumps(value)}`.",
            )
        return value or None
    if kind == "date":
        return dates.normalize(value, f"{path}.date")
    if kind in ("select", "status"):
        return (
            None
            if value is None
            else _option(prop, value, f"{path}.{kind}", create=kind == "select")
        )
    if kind == "multi_select":
        items = _list(value, f"{path}.multi_select")
        chosen = [
            _option(prop, item, f"{path}.multi_select[{i}]", create=True)
            for i, item in enumerate(items)
        ]
        return list(dict.fromkeys(chosen))
    if kind == "relation":
        return _relation(value, f"{path}.relation", ctx)
    if kind == "people":
        return _people(value, f"{path}.people", ctx)
    if kind == "files":
        return [dict(item) for item in _list(value, f"{path}.files")]
    if kind == "place":
        return value
    raise validation(f"{prop.name} has an unsupported type {kind}.")


def _unwrap(prop: PropertySchema, raw: Any) -> Any:
    if isinstance(raw, list):
        return raw
    if isinstance(raw, dict):
        if prop.type in raw:
            return raw[prop.type]
        named = raw.get("type")
        if named is None and not any(key in ALL_TYPES for key in raw):
            return raw
    raise validation(f"{prop.name} is expected to be {prop.type}.")


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise body_validation(path, f"should be an array, instead was `{json.dumps(value)}`.")
    if len(value) > MAX_LIST_ITEMS:
        raise body_validation(
            f"{path}.length", f"should be ≤ `{MAX_LIST_ITEMS}`, instead was `{len(value)}`."
        )
    return value


def _option(prop: PropertySchema, value: Any, path: str, *, create: bool) -> str:
    if not isinstance(value, dict):
        raise body_validation(path, f"should be an object, instead was `{json.dumps(value)}`.")
    options: list[JsonDict] = prop.config.setdefault("options", [])
    wanted_id, wanted_name = value.get("id"), value.get("name")
    for option in options:
        if (wanted_id is not None and option["id"] == wanted_id) or (
            wanted_id is None and option["name"] == wanted_name
        ):
            return str(option["id"])
    if wanted_id is not None or not isinstance(wanted_name, str) or not create:
        raise validation(
            f'Invalid {prop.type} option for property "{prop.name}": {json.dumps(value)}.'
        )
    if "," in wanted_name:
        raise validation(f"Invalid select option, commas not allowed: {wanted_name}")
    option = {
        "id": new_uuid(),
        "name": wanted_name,
        "color": value.get("color") or "default",
        "description": None,
    }
    options.append(option)
    return str(option["id"])


def _relation(value: Any, path: str, ctx: WriteContext) -> list[str]:
    out: list[str] = []
    for i, item in enumerate(_list(value, path)):
        raw_id = item.get("id") if isinstance(item, dict) else None
        page_id = normalize_uuid(raw_id) if isinstance(raw_id, str) else None
        if page_id is None:
            raise body_validation(
                f"{path}[{i}].id", f"should be a valid uuid, instead was `{json.dumps(raw_id)}`."
            )
        if not ctx.page_exists(page_id):
            raise validation(f"Could not find page with ID: {page_id}.")
        if page_id not in out:
            out.append(page_id)
    return out


def _people(value: Any, path: str, ctx: WriteContext) -> list[str]:
    out: list[str] = []
    for i, item in enumerate(_list(value, path)):
        raw_id = item.get("id") if isinstance(item, dict) else None
        user_id = normalize_uuid(raw_id) if isinstance(raw_id, str) else None
        if user_id is None:
            raise body_validation(
                f"{path}[{i}].id", f"should be a valid uuid, instead was `{json.dumps(raw_id)}`."
            )
        if ctx.user_json(user_id) is None:
            raise validation(f"Could not find user with ID: {user_id}.")
        if user_id not in out:
            out.append(user_id)
    return out
