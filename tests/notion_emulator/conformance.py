"""Replay recorded Notion traffic against the emulator and compare the answers.

Recorded ids never exist in the emulator, so the replayer keeps a map from recorded ids
(UUIDs, property ids, cursors) to the emulator's, learnt by walking each recorded response
side by side with the emulator's answer, and rewrites every later request with it. Users
and pages that existed before a recording started are seeded under their recorded ids.

Statuses must be equal; bodies are compared by comparison.Comparator.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from .cassettes import Cassette, Interaction
from .clock import parse_iso
from .comparison import Comparator, IdMap
from .emulator import NotionEmulator
from .ids import is_uuid, normalize_uuid
from .routes import match

JsonDict = dict[str, Any]

NOTION_HOST = "api.notion.com"


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
