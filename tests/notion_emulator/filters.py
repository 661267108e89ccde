"""Data source query filters and sorts, evaluated against stored pages.

Text conditions apply to title, rich_text, url, email and phone_number properties (the
recordings filter a title with a `rich_text` condition); `contains`-style conditions are
case-insensitive. Date conditions compare at minute precision when both sides carry a
time and by UTC day otherwise, which is what the recorded date queries show.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from . import dates
from .clock import truncate_minute
from .errors import JsonDict, body_validation, validation
from .model import DataSource, Page, PropertySchema
from .richtext import plain_text
from .store import Store

Predicate = Callable[[Page], bool]
TEXT_TYPES = frozenset({"title", "rich_text", "url", "email", "phone_number"})
# Which filter keys may be used on which property types.
_FILTER_TYPES: dict[str, frozenset[str]] = {
    **{key: TEXT_TYPES for key in TEXT_TYPES},
    "number": frozenset({"number"}),
    "checkbox": frozenset({"checkbox"}),
    "select": frozenset({"select"}),
    "status": frozenset({"status"}),
    "multi_select": frozenset({"multi_select"}),
    "date": frozenset({"date", "created_time", "last_edited_time"}),
    "created_time": frozenset({"created_time"}),
    "last_edited_time": frozenset({"last_edited_time"}),
    "people": frozenset({"people", "created_by", "last_edited_by"}),
    "created_by": frozenset({"created_by"}),
    "last_edited_by": frozenset({"last_edited_by"}),
    "relation": frozenset({"relation"}),
    "files": frozenset({"files"}),
    "unique_id": frozenset({"unique_id"}),
    "formula": frozenset({"formula"}),
}
_MAX_DEPTH = 2


class FilterCompiler:
    def __init__(self, store: Store, data_source: DataSource, now: datetime) -> None:
        self.store = store
        self.data_source = data_source
        self.now = now

    def compile(self, raw: Any, path: str = "filter", depth: int = 0) -> Predicate:
        if not isinstance(raw, dict):
            raise body_validation(path, f"should be an object, instead was `{json.dumps(raw)}`.")
        for compound in ("and", "or"):
            if compound in raw:
                if depth >= _MAX_DEPTH:
                    raise body_validation(
                        path, "should not nest compound filters more than two levels deep."
                    )
                parts = raw[compound]
                if not isinstance(parts, list):
                    raise body_validation(f"{path}.{compound}", "should be an array.")
                compiled = [
                    self.compile(p, f"{path}.{compound}[{i}]", depth + 1)
                    for i, p in enumerate(parts)
                ]
                if compound == "and":
                    return lambda page: all(c(page) for c in compiled)
                return lambda page: any(c(page) for c in compiled)
        if "timestamp" in raw:
            return self._timestamp(raw, path)
        if "property" in raw:
            return self._property(raw, path)
        raise body_validation(path, "should be a property, timestamp, and or or filter.")

    def _timestamp(self, raw: JsonDict, path: str) -> Predicate:
        field = raw["timestamp"]
        if field not in ("created_time", "last_edited_time"):
            raise body_validation(
                f"{path}.timestamp",
                "should be `created_time` or `last_edited_time`, "
                f"instead was `{json.dumps(field)}`.",
            )
        condition = raw.get(field)
        return _date_condition(
            condition, f"{path}.{field}", self.now, lambda page: (getattr(page, field), True)
        )

    def _property(self, raw: JsonDict, path: str) -> Predicate:
        key = str(raw["property"])
        prop = self.data_source.by_name_or_id(key)
        if prop is None:
            raise validation(f"Could not find property with name or id: {key}")
        kind = next((k for k in raw if k in _FILTER_TYPES), None)
        if kind is None:
            raise body_validation(path, "should have a filter condition for the property.")
        if prop.type not in _FILTER_TYPES[kind]:
            raise validation(
                f"Filter type `{kind}` does not match property `{prop.name}` of type `{prop.type}`."
            )
        condition = raw[kind]
        cpath = f"{path}.{kind}"
        if kind == "formula":
            return self._formula(prop, condition, cpath)
        return self._typed(
            prop, prop.type, condition, cpath, lambda page: self.store.computed(page, prop)
        )

    def _formula(self, prop: PropertySchema, condition: Any, path: str) -> Predicate:
        if not isinstance(condition, dict) or len(condition) != 1:
            raise body_validation(path, "should name one of string, number, checkbox, date.")
        result_kind, inner = next(iter(condition.items()))
        as_type = {
            "string": "rich_text",
            "number": "number",
            "checkbox": "checkbox",
            "date": "date",
        }.get(result_kind)
        if as_type is None:
            raise body_validation(
                path,
                f"should name one of string, number, checkbox, date, instead was `{result_kind}`.",
            )

        def value(page: Page) -> Any:
            result = self.store.computed(page, prop)
            raw_value = result.get(result.get("type"))
            if as_type == "rich_text":
                return [{"plain_text": raw_value}] if raw_value else []
            if as_type == "date":
                return {"start": raw_value["start"]} if isinstance(raw_value, dict) else None
            return raw_value

        return self._typed(prop, as_type, inner, f"{path}.{result_kind}", value)

    def _typed(
        self,
        prop: PropertySchema,
        kind: str,
        condition: Any,
        path: str,
        value: Callable[[Page], Any],
    ) -> Predicate:
        if not isinstance(condition, dict) or len(condition) != 1:
            raise body_validation(
                path,
                f"should be an object with one condition, instead was `{json.dumps(condition)}`.",
            )
        op, operand = next(iter(condition.items()))
        if kind in TEXT_TYPES:
            return _text_condition(op, operand, path, lambda page: _text(value(page)))
        if kind in ("number", "unique_id"):
            return _number_condition(op, operand, path, lambda page: _number(value(page)))
        if kind == "checkbox":
            if op not in ("equals", "does_not_equal") or not isinstance(operand, bool):
                raise body_validation(
                    f"{path}.{op}", "should be `equals` or `does_not_equal` with a boolean."
                )
            return lambda page: (bool(value(page)) == operand) == (op == "equals")
        if kind in ("select", "status"):

            def option_name(page: Page) -> str | None:
                option = self.store.option(prop, value(page))
                return option["name"] if option else None

            return _single_condition(op, operand, path, option_name)
        if kind == "multi_select":

            def names(page: Page) -> list[str]:
                chosen = [self.store.option(prop, i) for i in value(page) or []]
                return [o["name"] for o in chosen if o]

            return _list_condition(op, operand, path, names)
        if kind in ("people", "created_by", "last_edited_by"):

            def people(page: Page) -> list[str]:
                raw_value = value(page)
                return list(raw_value) if isinstance(raw_value, list) else [str(raw_value)]

            return _list_condition(op, operand, path, people)
        if kind in ("relation", "files"):
            return _list_condition(op, operand, path, lambda page: list(value(page) or []))
        if kind in ("date", "created_time", "last_edited_time"):
            return _date_condition(condition, path, self.now, lambda page: _date_point(value(page)))
        raise validation(f"Filtering on {kind} properties is not supported by the emulator.")


def _text(value: Any) -> str:
    if isinstance(value, list):
        return plain_text(value)
    return "" if value is None else str(value)


def _number(value: Any) -> float | None:
    if isinstance(value, dict):
        value = value.get("number")
    return None if value is None else float(value)


def _text_condition(op: str, operand: Any, path: str, get: Callable[[Page], str]) -> Predicate:
    if op in ("is_empty", "is_not_empty"):
        return lambda page: (get(page) == "") == (op == "is_empty")
    if not isinstance(operand, str):
        raise body_validation(
            f"{path}.{op}", f"should be a string, instead was `{json.dumps(operand)}`."
        )
    needle = operand.lower()
    checks: dict[str, Callable[[str], bool]] = {
        "equals": lambda text: text == operand,
        "does_not_equal": lambda text: text != operand,
        "contains": lambda text: needle in text.lower(),
        "does_not_contain": lambda text: needle not in text.lower(),
        "starts_with": lambda text: text.lower().startswith(needle),
        "ends_with": lambda text: text.lower().endswith(needle),
    }
    if op not in checks:
        raise body_validation(f"{path}.{op}", "should be not present.")
    check = checks[op]
    return lambda page: check(get(page))


def _number_condition(
    op: str, operand: Any, path: str, get: Callable[[Page], float | None]
) -> Predicate:
    if op in ("is_empty", "is_not_empty"):
        return lambda page: (get(page) is None) == (op == "is_empty")
    if isinstance(operand, bool) or not isinstance(operand, int | float):
        raise body_validation(
            f"{path}.{op}", f"should be a number, instead was `{json.dumps(operand)}`."
        )
    target = float(operand)
    checks: dict[str, Callable[[float], bool]] = {
        "equals": lambda n: n == target,
        "greater_than": lambda n: n > target,
        "less_than": lambda n: n < target,
        "greater_than_or_equal_to": lambda n: n >= target,
        "less_than_or_equal_to": lambda n: n <= target,
    }
    if op == "does_not_equal":
        return lambda page: get(page) != target
    if op not in checks:
        raise body_validation(f"{path}.{op}", "should be not present.")
    check = checks[op]

    def predicate(page: Page) -> bool:
        number = get(page)
        return number is not None and check(number)

    return predicate


def _single_condition(
    op: str, operand: Any, path: str, get: Callable[[Page], str | None]
) -> Predicate:
    if op in ("is_empty", "is_not_empty"):
        return lambda page: (get(page) is None) == (op == "is_empty")
    if op not in ("equals", "does_not_equal") or not isinstance(operand, str):
        raise body_validation(
            f"{path}.{op}", "should be equals, does_not_equal, is_empty or is_not_empty."
        )
    return lambda page: (get(page) == operand) == (op == "equals")


def _list_condition(
    op: str, operand: Any, path: str, get: Callable[[Page], list[Any]]
) -> Predicate:
    if op in ("is_empty", "is_not_empty"):
        return lambda page: (not get(page)) == (op == "is_empty")
    if op not in ("contains", "does_not_contain") or not isinstance(operand, str):
        raise body_validation(
            f"{path}.{op}", "should be contains, does_not_contain, is_empty or is_not_empty."
        )
    return lambda page: (operand in get(page)) == (op == "contains")


def _date_point(value: Any) -> tuple[datetime, bool] | None:
    if isinstance(value, datetime):
        return value, True
    if isinstance(value, dict) and isinstance(value.get("start"), str):
        return dates.point(value["start"])
    return None


def _date_condition(
    condition: Any, path: str, now: datetime, get: Callable[[Page], tuple[datetime, bool] | None]
) -> Predicate:
    if not isinstance(condition, dict) or len(condition) != 1:
        raise body_validation(
            path, f"should be an object with one condition, instead was `{json.dumps(condition)}`."
        )
    op, operand = next(iter(condition.items()))
    if op in ("is_empty", "is_not_empty"):
        return lambda page: (get(page) is None) == (op == "is_empty")
    span = dates.relative_range(op, now)
    if span is not None:
        low, high = span
        return lambda page: _within(get(page), low, high)
    compare: dict[str, Callable[[int], bool]] = {
        "equals": lambda c: c == 0,
        "before": lambda c: c < 0,
        "after": lambda c: c > 0,
        "on_or_before": lambda c: c <= 0,
        "on_or_after": lambda c: c >= 0,
    }
    if op not in compare or not isinstance(operand, str):
        raise body_validation(f"{path}.{op}", "should be a date condition with an ISO 8601 value.")
    try:
        target = dates.point(operand)
    except ValueError as exc:
        raise body_validation(
            f"{path}.{op}",
            f"should be a valid ISO 8601 date string, instead was `{json.dumps(operand)}`.",
        ) from exc
    accept = compare[op]

    def predicate(page: Page) -> bool:
        value = get(page)
        return value is not None and accept(_compare(value, target))

    return predicate


def _within(value: tuple[datetime, bool] | None, low: date, high: date) -> bool:
    return value is not None and low <= value[0].date() <= high


def _compare(value: tuple[datetime, bool], target: tuple[datetime, bool]) -> int:
    left: datetime | date
    right: datetime | date
    if value[1] and target[1]:
        left, right = truncate_minute(value[0]), truncate_minute(target[0])
    else:
        left, right = value[0].date(), target[0].date()
    return (left > right) - (left < right)
