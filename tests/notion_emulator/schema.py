"""Data source property schemas: what a create/update request may say, and what is stored."""

from __future__ import annotations

import json
from typing import Any

from .errors import JsonDict, body_validation, validation
from .ids import new_uuid, normalize_uuid
from .model import PropertySchema

PLAIN_TYPES = frozenset(
    {
        "title",
        "rich_text",
        "url",
        "email",
        "phone_number",
        "checkbox",
        "date",
        "files",
        "people",
        "created_time",
        "created_by",
        "last_edited_time",
        "last_edited_by",
        "place",
    }
)
OPTION_TYPES = frozenset({"select", "multi_select", "status"})
CONFIGURED_TYPES = frozenset({"number", "relation", "formula", "rollup", "unique_id"})
ALL_TYPES = PLAIN_TYPES | OPTION_TYPES | CONFIGURED_TYPES
# Values Notion computes; a page write naming one of these is rejected.
COMPUTED_TYPES = frozenset(
    {
        "formula",
        "rollup",
        "unique_id",
        "created_time",
        "created_by",
        "last_edited_time",
        "last_edited_by",
    }
)

_DEFAULT_STATUS_OPTIONS = (("Not started", "default"), ("In progress", "blue"), ("Done", "green"))
_STATUS_GROUPS = (("To-do", "gray", 0), ("In progress", "blue", 1), ("Complete", "green", 2))


def declared_type(raw: JsonDict, path: str) -> str | None:
    """The type a property definition names, or None when it only renames/describes."""
    kind = raw.get("type")
    if kind is None:
        kind = next((key for key in raw if key in ALL_TYPES), None)
    if kind is None:
        return None
    if kind not in ALL_TYPES:
        raise body_validation(
            f"{path}.type",
            f"should be a supported property type, instead was `{json.dumps(kind)}`.",
        )
    return str(kind)


def build_config(kind: str, raw: Any, path: str, existing: PropertySchema | None) -> JsonDict:
    given: JsonDict = raw if isinstance(raw, dict) else {}
    previous = existing.config if existing is not None and existing.type == kind else {}
    if kind == "number":
        return {"format": str(given.get("format", previous.get("format", "number")))}
    if kind in ("select", "multi_select"):
        return {"options": _options(given.get("options"), previous.get("options", []), path)}
    if kind == "status":
        return _status(given, previous, path)
    if kind == "relation":
        return _relation(given, path)
    if kind == "formula":
        expression = given.get("expression")
        if not isinstance(expression, str):
            raise body_validation(
                f"{path}.formula.expression", "should be defined, instead was `undefined`."
            )
        return {"expression": expression}
    if kind == "rollup":
        return {
            key: given[key]
            for key in (
                "function",
                "relation_property_name",
                "relation_property_id",
                "rollup_property_name",
                "rollup_property_id",
            )
            if key in given
        }
    if kind == "unique_id":
        return {"prefix": given.get("prefix", previous.get("prefix"))}
    return {}


def _options(raw: Any, previous: list[JsonDict], path: str) -> list[JsonDict]:
    if raw is None:
        return [dict(option) for option in previous]
    if not isinstance(raw, list):
        raise body_validation(
            f"{path}.options", f"should be an array, instead was `{json.dumps(raw)}`."
        )
    out: list[JsonDict] = []
    for i, option in enumerate(raw):
        if not isinstance(option, dict) or not isinstance(
            option.get("name") or option.get("id"), str
        ):
            raise body_validation(
                f"{path}.options[{i}].name", "should be defined, instead was `undefined`."
            )
        match = next(
            (
                old
                for old in previous
                if old["id"] == option.get("id")
                or (option.get("id") is None and old["name"] == option.get("name"))
            ),
            None,
        )
        name = option.get("name") or (match or {}).get("name")
        if any(existing["name"] == name for existing in out):
            raise validation(f"Duplicate option name: {name}.")
        out.append(
            {
                "id": match["id"] if match else new_uuid(),
                "name": name,
                "color": option.get("color") or (match or {}).get("color") or "default",
                "description": option.get("description", (match or {}).get("description")),
            }
        )
    return out


def _status(given: JsonDict, previous: JsonDict, path: str) -> JsonDict:
    options = _options(given.get("options"), previous.get("options", []), path)
    if not options:
        options = [
            {"id": new_uuid(), "name": name, "color": color, "description": None}
            for name, color in _DEFAULT_STATUS_OPTIONS
        ]
    groups = previous.get("groups") or [
        {"id": new_uuid(), "name": name, "color": color, "option_ids": []}
        for name, color, _ in _STATUS_GROUPS
    ]
    placed = {option_id for group in groups for option_id in group["option_ids"]}
    for index, option in enumerate(options):
        if option["id"] not in placed:
            groups[min(index, len(groups) - 1)]["option_ids"].append(option["id"])
    return {"options": options, "groups": groups}


def _relation(given: JsonDict, path: str) -> JsonDict:
    raw_id = given.get("data_source_id")
    data_source_id = normalize_uuid(raw_id) if isinstance(raw_id, str) else None
    if data_source_id is None:
        raise body_validation(
            f"{path}.relation.data_source_id",
            f"should be a valid uuid, instead was `{json.dumps(raw_id)}`.",
        )
    kind = given.get("type") or ("dual_property" if "dual_property" in given else "single_property")
    if kind not in ("single_property", "dual_property"):
        raise body_validation(
            f"{path}.relation.type",
            f"should be one of single_property, dual_property, instead was `{kind}`.",
        )
    return {"data_source_id": data_source_id, "type": kind}
