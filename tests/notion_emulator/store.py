"""The emulator's state and the lookups every operation shares.

Operations live in `pages.py`, `databases.py` and `queries.py`; they run under `store.lock`
because the HTTP server thread and the test's control calls touch the same objects.
"""

from __future__ import annotations

import random
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import errors, formula
from .clock import VirtualClock
from .errors import JsonDict, NotionError
from .ids import given_or_new, normalize_uuid
from .model import Database, DataSource, Integration, Page, PropertySchema, User
from .richtext import plain_text

TITLE_ID = "title"
# Page-parented pages have one property, the title, under this name and id.
PAGE_TITLE_SCHEMA = PropertySchema(id=TITLE_ID, name="title", type="title")


@dataclass(frozen=True)
class Change:
    """Something a webhook subscriber hears about (see webhooks.py for the payload)."""

    type: str
    entity_id: str
    entity_type: str
    data: JsonDict
    author_id: str


@dataclass
class QueryOptions:
    """How data source queries paginate; tests change these to provoke edge cases."""

    # At most this many rows a response while has_more is true (None: page_size rows).
    short_page_size: int | None = None
    # With a seed, each short page holds a random count between 1 and short_page_size.
    short_page_rng: random.Random | None = None
    snapshots: OrderedDict[str, list[str]] = field(default_factory=OrderedDict)


class Store:
    def __init__(self, clock: VirtualClock, integration: Integration, *, seed: int = 0) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.integration = integration
        self.rng = random.Random(seed)
        self.users: dict[str, User] = {integration.bot.id: integration.bot}
        self.databases: dict[str, Database] = {}
        self.data_sources: dict[str, DataSource] = {}
        self.pages: dict[str, Page] = {}
        self.query_options = QueryOptions()
        self.listeners: list[Callable[[Change], None]] = []
        self._seq = 0

    # -- ids and lookups -------------------------------------------------------------

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def not_found(self, kind: str, object_id: str) -> NotionError:
        return errors.not_found(
            kind, object_id, self.integration.bot.name or "", self.integration.bot.id
        )

    def page(self, raw_id: str) -> Page:
        page = self.pages.get(normalize_uuid(raw_id) or "")
        if page is None:
            raise self.not_found("page", normalize_uuid(raw_id) or raw_id)
        return page

    def database(self, raw_id: str) -> Database:
        database = self.databases.get(normalize_uuid(raw_id) or "")
        if database is None:
            raise self.not_found("database", normalize_uuid(raw_id) or raw_id)
        return database

    def data_source(self, raw_id: str) -> DataSource:
        data_source = self.data_sources.get(normalize_uuid(raw_id) or "")
        if data_source is None:
            raise self.not_found("data_source", normalize_uuid(raw_id) or raw_id)
        return data_source

    def user(self, raw_id: str) -> User:
        user = self.users.get(normalize_uuid(raw_id) or "")
        if user is None:
            raise errors.user_not_found(raw_id, self.integration.bot.id)
        return user

    def schema_of(self, page: Page) -> list[PropertySchema]:
        if page.parent_type == "data_source_id" and page.parent_id in self.data_sources:
            return list(self.data_sources[page.parent_id].properties.values())
        return [PAGE_TITLE_SCHEMA]

    def data_source_of(self, page: Page) -> DataSource | None:
        if page.parent_type == "data_source_id":
            return self.data_sources.get(page.parent_id or "")
        return None

    def page_title(self, page: Page) -> str:
        for prop in self.schema_of(page):
            if prop.type == "title":
                return plain_text(page.values.get(prop.id) or [])
        return ""

    def touch_container(self, page_id: str | None, actor: str) -> None:
        """A page whose child page or database was added or trashed counts as edited."""
        container = self.pages.get(page_id or "")
        if container is not None:
            container.last_edited_time = self.clock.now()
            container.last_edited_by = actor

    # -- users ------------------------------------------------------------------------

    def add_user(
        self,
        name: str,
        *,
        email: str | None = None,
        user_id: str | None = None,
        kind: str = "person",
        avatar_url: str | None = None,
    ) -> User:
        with self.lock:
            user = User(
                id=given_or_new(user_id),
                name=name,
                type="bot" if kind == "bot" else "person",
                email=email,
                avatar_url=avatar_url,
            )
            self.users[user.id] = user
            return user

    def user_json(
        self, raw_id: str, *, brief_bot: bool = False, directory: bool = False
    ) -> JsonDict | None:
        """A user object; `directory` is the users endpoints' form (with email_verified)."""
        user = self.users.get(normalize_uuid(raw_id) or "")
        if user is None:
            return None
        out: JsonDict = {
            "object": "user",
            "id": user.id,
            "name": user.name,
            "avatar_url": user.avatar_url,
            "type": user.type,
        }
        if user.type == "person":
            out["person"] = {"email": user.email} if user.email else {}
            if directory and user.email:
                out["person"]["email_verified"] = True
        elif brief_bot:
            out["bot"] = {}
        else:
            out["bot"] = {
                "owner": {"type": "workspace", "workspace": True},
                "workspace_name": self.integration.workspace_name,
                "workspace_id": self.integration.workspace_id,
                "workspace_limits": {"max_file_upload_size_in_bytes": 5242880},
            }
        return out

    # -- values Notion computes ---------------------------------------------------------

    def computed(self, page: Page, prop: PropertySchema) -> Any:
        """The stored value, or the value Notion derives for computed property types."""
        if prop.type == "created_time":
            return page.created_time
        if prop.type == "last_edited_time":
            return page.last_edited_time
        if prop.type == "created_by":
            return page.created_by
        if prop.type == "last_edited_by":
            return page.last_edited_by
        if prop.type == "formula":
            return formula.evaluate(
                prop.config.get("expression", ""), lambda key: self._plain(page, key)
            )
        if prop.type == "rollup":
            return self._rollup(page, prop)
        return page.values.get(prop.id)

    def _plain(self, page: Page, key: str) -> Any:
        prop = next((p for p in self.schema_of(page) if p.name == key or p.id == key), None)
        if prop is None:
            raise ValueError(key)
        value = self.computed(page, prop)
        if prop.type in ("title", "rich_text"):
            return plain_text(value or [])
        if prop.type == "number":
            return value or 0
        if prop.type in ("select", "status"):
            option = self.option(prop, value)
            return option["name"] if option else ""
        if prop.type == "checkbox":
            return bool(value)
        return "" if value is None else value

    def _rollup(self, page: Page, prop: PropertySchema) -> JsonDict:
        function = prop.config.get("function", "count")
        relation_id = prop.config.get("relation_property_id")
        related = page.values.get(relation_id or "") or []
        if function in ("count", "count_all", "count_values"):
            return {"type": "number", "number": len(related), "function": function}
        return {"type": "number", "number": None, "function": function}

    @staticmethod
    def option(prop: PropertySchema, option_id: Any) -> JsonDict | None:
        for option in prop.config.get("options", []):
            if option["id"] == option_id:
                return dict(option)
        return None

    # -- change events ------------------------------------------------------------------

    def emit(self, change: Change) -> None:
        for listener in list(self.listeners):
            listener(change)

    def page_parent_ref(self, page: Page) -> JsonDict:
        data_source = self.data_source_of(page)
        if data_source is not None:
            return {
                "id": data_source.database_id,
                "type": "database",
                "data_source_id": data_source.id,
            }
        if page.parent_type == "page_id":
            return {"id": page.parent_id, "type": "page"}
        return {"id": self.integration.workspace_id, "type": "space"}
