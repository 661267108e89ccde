"""Structural comparison of a recorded Notion answer with the emulator's.

Same keys, same JSON types, the same ids (through the recorded->emulator id map, learnt as
the comparison walks) in the same order, and equal values for what a request determines
(names, text, numbers, booleans, dates, `object`/`type`/`code`). Values that legitimately
differ (ids, timestamps, request ids, URLs, cursors) are compared by form only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .ids import compact, is_uuid, normalize_uuid

JsonDict = dict[str, Any]

# Compared by form only: they legitimately differ between Notion and the emulator.
_VOLATILE_KEYS = frozenset(
    {
        "request_id",
        "url",
        "public_url",
        "next_url",
        "avatar_url",
        "workspace_name",
        "workspace_id",
        "href",
        "expression",
        "aws_place_id",
        "google_place_id",
    }
)
_TIMESTAMP_KEYS = frozenset({"created_time", "last_edited_time"})
# Present in one recording and absent in another of the same object (users' person data).
_OPTIONAL_KEYS = frozenset({"email_verified"})
_ID_KEYS = frozenset(
    {
        "id",
        "page_id",
        "database_id",
        "data_source_id",
        "synced_property_id",
        "integration_id",
        "relation_property_id",
        "rollup_property_id",
    }
)
_TIMESTAMP_FORMS = (
    ("minute-Z", re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$")),
    ("millis-offset", re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$")),
)
_UUID_IN_TEXT = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")


@dataclass
class IdMap:
    uuids: dict[str, str] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=lambda: {"title": "title"})
    cursors: dict[str, str] = field(default_factory=dict)

    def learn(self, recorded: str, actual: str, path: str, problems: list[str]) -> None:
        if is_uuid(recorded) and is_uuid(actual):
            key, value, table = normalize_uuid(recorded), normalize_uuid(actual), self.uuids
        elif not is_uuid(recorded) and not is_uuid(actual):
            key, value, table = recorded, actual, self.properties
        else:
            problems.append(f"{path}: id kinds differ ({recorded!r} vs {actual!r})")
            return
        assert key is not None and value is not None
        known = table.get(key)
        if known is None:
            if value in table.values() and key != value:
                problems.append(f"{path}: emulator id {value} already stands for another id")
                return
            table[key] = value
        elif known != value:
            problems.append(f"{path}: expected the object recorded as {recorded}, got another")

    def uuid(self, raw: str) -> str:
        normalized = normalize_uuid(raw)
        mapped = self.uuids.get(normalized or "")
        if mapped is None:
            return raw
        return mapped if "-" in raw else compact(mapped)


class Comparator:
    """Structural comparison of a recorded answer with the emulator's, learning id pairs."""

    def __init__(self, ids: IdMap) -> None:
        self.ids = ids

    def compare_error(self, recorded: Any, actual: Any, problems: list[str]) -> None:
        if not isinstance(recorded, dict) or not isinstance(actual, dict):
            problems.append("error body is not a JSON object")
            return
        for key in ("object", "status", "code"):
            if recorded.get(key) != actual.get(key):
                problems.append(f"error {key}: {actual.get(key)!r}, recorded {recorded.get(key)!r}")
        if set(recorded) != set(actual):
            problems.append(f"error keys {sorted(actual)}, recorded {sorted(recorded)}")
        if _message_form(str(recorded.get("message"))) != _message_form(str(actual.get("message"))):
            problems.append(
                f"error message {actual.get('message')!r}, recorded {recorded.get('message')!r}"
            )

    def compare(
        self,
        recorded: Any,
        actual: Any,
        path: str,
        problems: list[str],
        *,
        key: str | None = None,
        loose: bool = False,
    ) -> None:
        if isinstance(recorded, dict):
            if not isinstance(actual, dict):
                problems.append(f"{path}: object expected, got {type(actual).__name__}")
                return
            if set(recorded) - _OPTIONAL_KEYS != set(actual) - _OPTIONAL_KEYS:
                missing, extra = (
                    sorted(set(recorded) - set(actual)),
                    sorted(set(actual) - set(recorded)),
                )
                problems.append(f"{path}: keys missing {missing}, unexpected {extra}")
            for k in recorded:
                if k in actual:
                    if (
                        k == "next_cursor"
                        and isinstance(recorded[k], str)
                        and isinstance(actual[k], str)
                    ):
                        self.ids.cursors[recorded[k]] = actual[k]
                    self.compare(
                        recorded[k],
                        actual[k],
                        f"{path}.{k}",
                        problems,
                        key=k,
                        loose=loose and k == "results",
                    )
            return
        if isinstance(recorded, list):
            if not isinstance(actual, list):
                problems.append(f"{path}: array expected, got {type(actual).__name__}")
                return
            if loose:
                self._compare_loosely(recorded, actual, path, problems)
                return
            if len(recorded) != len(actual):
                problems.append(f"{path}: {len(actual)} items, recorded {len(recorded)}")
            for i, (r, a) in enumerate(zip(recorded, actual, strict=False)):
                self.compare(r, a, f"{path}[{i}]", problems, key=key)
            return
        self._compare_scalar(recorded, actual, path, key, problems)

    def _compare_loosely(
        self, recorded: list[Any], actual: list[Any], path: str, problems: list[str]
    ) -> None:
        """Each result must look like some recorded result of the same kind."""
        for i, item in enumerate(actual):
            kind = (item.get("object"), item.get("type")) if isinstance(item, dict) else None
            attempts: list[list[str]] = []
            for model in recorded:
                if isinstance(model, dict) and (model.get("object"), model.get("type")) == kind:
                    found: list[str] = []
                    # Shapes only: these results are not the recording's objects.
                    Comparator(IdMap()).compare(
                        _shape_only(model), _shape_only(item), f"{path}[{i}]", found
                    )
                    attempts.append(found)
            if attempts:
                best = attempts[0]
                for found in attempts[1:]:
                    best = found if len(found) < len(best) else best
                problems.extend(best)

    def _compare_scalar(
        self, recorded: Any, actual: Any, path: str, key: str | None, problems: list[str]
    ) -> None:
        if key == "avatar_url":
            return  # a picture is a user's choice, null or a URL
        if _json_type(recorded) != _json_type(actual):
            problems.append(
                f"{path}: {_json_type(actual)} {actual!r}, "
                f"recorded {_json_type(recorded)} {recorded!r}"
            )
            return
        if recorded is None or key in _VOLATILE_KEYS or key == "next_cursor":
            return
        if key in _ID_KEYS and isinstance(recorded, str):
            self.ids.learn(recorded, actual, path, problems)
            return
        if key in _TIMESTAMP_KEYS or key == "timestamp":
            if _timestamp_form(recorded) != _timestamp_form(actual):
                problems.append(f"{path}: timestamp form {actual!r}, recorded {recorded!r}")
            return
        if isinstance(recorded, str) and is_uuid(recorded):
            self.ids.learn(recorded, actual, path, problems)
            return
        if isinstance(recorded, str) and key == "synced_property_name":
            if recorded != actual:
                problems.append(f"{path}: {actual!r}, recorded {recorded!r}")
            return
        if recorded != actual:
            problems.append(f"{path}: {actual!r}, recorded {recorded!r}")


def _shape_only(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _shape_only(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape_only(v) for v in value[:1]]
    if isinstance(value, bool) or value is None:
        return value
    return type(value).__name__


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _timestamp_form(value: Any) -> str:
    for name, pattern in _TIMESTAMP_FORMS:
        if isinstance(value, str) and pattern.match(value):
            return name
    return f"other:{value!r}"


def _message_form(message: str) -> str:
    text = _UUID_IN_TEXT.sub("<id>", message)
    return re.sub(r'integration "[^"]*"', 'integration "<name>"', text)
