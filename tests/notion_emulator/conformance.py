"""Replay recorded Notion traffic against the emulator and compare the answers.

Recorded ids never exist in the emulator, so the replayer keeps a map from recorded ids
(UUIDs, property ids, cursors) to the emulator's, learnt by walking each recorded response
side by side with the emulator's answer, and rewrites every later request with it. Users
and pages that existed before a recording started are seeded under their recorded ids.

Comparison is structural: same status, same keys, same JSON types, the same mapped ids in
the same order, and equal values for what the request determines (names, text, numbers,
booleans, dates, `object`/`type`/`code` fields). Values that legitimately differ (ids,
timestamps, request ids, URLs, cursors) are compared by form only.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from .cassettes import Cassette, Interaction
from .clock import parse_iso
from .emulator import NotionEmulator
from .ids import compact, is_uuid, normalize_uuid
from .routes import match

JsonDict = dict[str, Any]

NOTION_HOST = "api.notion.com"
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


@dataclass(frozen=True)
class _SeedPage:
    id: str
    title: str
    parent_page_id: str | None = None
    created_by: str | None = None
    edited_by: str | None = None
    from_response: bool = False


@dataclass
class Outcome:
    interaction: Interaction
    compared: bool
    problems: list[str]
    reason: str = ""


@dataclass
class Rules:
    """Per-cassette allowances, each with the reason it is needed."""

    # Interactions answered from workspace content the recording had and the emulator lacks:
    # compare the envelope and each result's shape, not the result list.
    loose_lists: frozenset[int] = frozenset()
    # Search answers depend on everything in the recorder's workspace.
    workspace_search: bool = False
    skip: dict[int, str] = field(default_factory=dict)


def integration_name(cassette: Cassette) -> str:
    """The recorded integration's name: it appears in users/me and in 404 messages."""
    for item in cassette.interactions:
        body = item.response_json
        if item.path.endswith("/users/me") and isinstance(body, dict) and body.get("name"):
            return str(body["name"])
    for item in cassette.interactions:
        for user in _find_users(item.response_json):
            if user.get("type") == "bot" and user.get("name"):
                return str(user["name"])
    return "Emulated Integration"


class Replayer:
    def __init__(
        self,
        emulator: NotionEmulator,
        http: httpx.Client,
        cassette: Cassette,
        rules: Rules | None = None,
    ) -> None:
        self.emulator = emulator
        self.http = http
        self.cassette = cassette
        self.rules = rules or Rules()
        self.ids = IdMap()
        self.comparator = Comparator(self.ids)
        self._seed()

    # -- seeding ----------------------------------------------------------------------------

    def _seed(self) -> None:
        bot = self.emulator.integration.bot.id
        for recorded_bot in self._recorded_bot_ids():
            self.ids.uuids[recorded_bot] = bot
        created: set[str] = set()
        for item in self.cassette.interactions:
            body = item.response_json
            if item.method == "POST" and isinstance(body, dict) and is_uuid(body.get("id")):
                created.add(str(normalize_uuid(body["id"])))
            for user in _find_users(body):
                if user.get("type") == "person" and user["id"] not in self.emulator.store.users:
                    email = (user.get("person") or {}).get("email")
                    self.emulator.add_user(
                        user.get("name") or "Someone",
                        email=email,
                        user_id=user["id"],
                        avatar_url=user.get("avatar_url"),
                    )
        for seed in self._pre_existing_pages(created):
            if seed.id not in self.emulator.store.pages:
                self.emulator.seed_page(
                    seed.title,
                    page_id=seed.id,
                    parent_page_id=seed.parent_page_id,
                    created_by=self.ids.uuids.get(seed.created_by or "", seed.created_by),
                    last_edited_by=self.ids.uuids.get(seed.edited_by or "", seed.edited_by),
                )
        first = self._recorded_time(self.cassette.interactions)
        if first is not None:
            self.emulator.clock.set(first)

    def _recorded_bot_ids(self) -> set[str]:
        """The recording integration's user id(s): they stand for the emulator's bot."""
        found: set[str] = set()
        for item in self.cassette.interactions:
            body = item.response_json
            if (
                item.path.endswith("/users/me")
                and isinstance(body, dict)
                and is_uuid(body.get("id"))
            ):
                found.add(str(normalize_uuid(body["id"])))
            if item.method == "POST" and item.status == 200 and isinstance(body, dict):
                author = (body.get("created_by") or {}).get("id")
                if is_uuid(author):
                    found.add(str(normalize_uuid(author)))
        return found

    def _pre_existing_pages(self, created: set[str]) -> list[_SeedPage]:
        found: dict[str, _SeedPage] = {}
        for item in self.cassette.interactions:
            request = item.request_json
            parent = request.get("parent") if isinstance(request, dict) else None
            if isinstance(parent, dict) and is_uuid(parent.get("page_id")):
                page_id = str(normalize_uuid(parent["page_id"]))
                found.setdefault(page_id, _SeedPage(page_id, "Root"))
            body = item.response_json
            if (
                item.method == "GET"
                and item.status == 200
                and isinstance(body, dict)
                and body.get("object") == "page"
                and body.get("parent", {}).get("type") in ("page_id", "workspace")
            ):
                page_id = str(normalize_uuid(body["id"]))
                if page_id in found and found[page_id].from_response:
                    continue  # the first answer shows the page as it was before the test
                found[page_id] = _SeedPage(
                    page_id,
                    "".join(
                        t.get("plain_text", "")
                        for t in body["properties"].get("title", {}).get("title", [])
                    ),
                    body["parent"].get("page_id"),
                    (body.get("created_by") or {}).get("id"),
                    (body.get("last_edited_by") or {}).get("id"),
                    from_response=True,
                )
        # Parents first, so a seeded child finds its parent.
        pages = [p for p in found.values() if p.id not in created]
        return sorted(pages, key=lambda p: p.parent_page_id is not None)

    @staticmethod
    def _recorded_time(items: tuple[Interaction, ...] | list[Interaction]) -> datetime | None:
        stamps: list[datetime] = []
        for item in items:
            body = item.response_json
            if item.status != 200 or not isinstance(body, dict) or item.method == "GET":
                continue
            for key in ("created_time", "last_edited_time"):
                value = body.get(key)
                parsed = parse_iso(value) if isinstance(value, str) else None
                if parsed is not None:
                    stamps.append(parsed)
            if stamps:
                return min(stamps)
        return None

    # -- replay -----------------------------------------------------------------------------

    def replay(self) -> list[Outcome]:
        return [self.replay_one(item) for item in self.cassette.interactions]

    def replay_one(self, item: Interaction) -> Outcome:
        if NOTION_HOST not in item.uri:
            return Outcome(item, False, [], "not a Notion API request")
        if item.index in self.rules.skip:
            return Outcome(item, False, [], self.rules.skip[item.index])
        if match(item.method, item.path) is None and not item.path.startswith("/v1/invalid"):
            return Outcome(item, False, [], "endpoint out of the emulator's scope")
        self._advance_clock(item)
        response = self._send(item)
        problems: list[str] = []
        if response.status_code != item.status:
            problems.append(
                f"status {response.status_code}, recorded {item.status}: {response.text[:300]}"
            )
            return Outcome(item, True, problems)
        recorded, actual = item.response_json, response.json()
        if item.status >= 400:
            self.comparator.compare_error(recorded, actual, problems)
        else:
            # Who is in the workspace is not the recording's to decide.
            path = item.path.rstrip("/")
            loose = (
                item.index in self.rules.loose_lists
                or path == "/v1/users"
                or (self.rules.workspace_search and path == "/v1/search")
            )
            self.comparator.compare(recorded, actual, "$", problems, loose=loose)
        return Outcome(item, True, problems)

    def _advance_clock(self, item: Interaction) -> None:
        recorded = item.response_json
        if not isinstance(recorded, dict) or item.status != 200:
            return
        for key in ("last_edited_time", "created_time"):
            value = recorded.get(key)
            stamp = parse_iso(value) if isinstance(value, str) else None
            if stamp is not None and stamp > self.emulator.clock.now():
                self.emulator.clock.set(stamp)

    def _send(self, item: Interaction) -> httpx.Response:
        headers = {"Notion-Version": item.notion_version or "2025-09-03"}
        token = self.emulator.token
        if item.status == 401:
            token = "ntn_not_a_valid_token"
        headers["Authorization"] = f"Bearer {token}"
        content: bytes | None = None
        if item.request_text.strip():
            body = self._translate(item.request_json, None)
            content = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        params = {k: [self.ids.cursors.get(v, v) for v in vs] for k, vs in item.query.items()}
        return self.http.request(
            item.method,
            self._translate_path(item.path),
            params=params,
            content=content,
            headers=headers,
        )

    def _translate_path(self, path: str) -> str:
        parts = path.split("/")
        out: list[str] = []
        for i, part in enumerate(parts):
            if i > 0 and parts[i - 1] == "properties":
                out.append(self.ids.properties.get(part, part))
            elif is_uuid(part):
                out.append(self.ids.uuid(part))
            else:
                out.append(part)
        return "/".join(out)

    def _translate(self, value: Any, key: str | None) -> Any:
        if isinstance(value, dict):
            out: JsonDict = {}
            for k, v in value.items():
                name = str(k)
                out[self.ids.properties.get(name, name) if key == "properties" else name] = (
                    self._translate(v, name)
                )
            return out
        if isinstance(value, list):
            return [self._translate(v, key) for v in value]
        if isinstance(value, str):
            if key == "start_cursor":
                return self.ids.cursors.get(value, value)
            if is_uuid(value):
                return self.ids.uuid(value)
            if key in ("id", "synced_property_id") and value in self.ids.properties:
                return self.ids.properties[value]
        return value


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


def _find_users(value: Any) -> list[JsonDict]:
    found: list[JsonDict] = []
    if isinstance(value, dict):
        if value.get("object") == "user" and is_uuid(value.get("id")) and "type" in value:
            found.append({**value, "id": normalize_uuid(value["id"])})
        for inner in value.values():
            found.extend(_find_users(inner))
    elif isinstance(value, list):
        for inner in value:
            found.extend(_find_users(inner))
    return found
