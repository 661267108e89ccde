"""NotionEmulator: the state, the HTTP app, and the control API tests drive it with."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable, MutableMapping
from datetime import datetime
from typing import Any

from . import databases, pages, render
from .app import EmulatorApp
from .clock import VirtualClock
from .errors import JsonDict
from .faults import FaultInjector
from .ids import given_or_new, new_uuid, normalize_uuid
from .model import Integration, Page, User
from .ratelimit import TokenBucketLimiter
from .richtext import text_item
from .stats import RequestStats
from .store import TITLE_ID, Store
from .webhooks import WebhookDispatcher

DEFAULT_TOKEN = "ntn_emulator_test_token"
DEFAULT_VERSION = "2025-09-03"
# Notion's documented request size limit ("about 500KB").
MAX_BODY_BYTES = 500 * 1024


class NotionEmulator:
    """An in-memory Notion workspace reached through `app` (ASGI) or the methods below.

    Control methods act as a person using Notion ("a rep"), not as the integration: their
    edits bump `last_edited_time` from the virtual clock and raise webhook events authored
    by that person.
    """

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        start: datetime | None = None,
        seed: int = 0,
        integration_name: str = "Emulated Integration",
        workspace_name: str = "Emulated Workspace",
    ) -> None:
        self.clock = VirtualClock(start)
        bot = User(id=new_uuid(), name=integration_name, type="bot")
        self.integration = Integration(
            bot=bot, workspace_id=new_uuid(), workspace_name=workspace_name
        )
        self.store = Store(self.clock, self.integration, seed=seed)
        self.token = token
        self.tokens: set[str] = {token}
        self.faults = FaultInjector()
        self.rate_limiter: TokenBucketLimiter | None = None
        self.stats = RequestStats()
        self.webhooks = WebhookDispatcher(self.clock, self.integration)
        self.store.listeners.append(self.webhooks.on_change)
        self.max_body_bytes = MAX_BODY_BYTES
        self.app = EmulatorApp(self)
        self.stopping = False
        # Set by the server runner: closes the connection a request arrived on.
        self.connection_dropper: Callable[[MutableMapping[str, Any]], bool] | None = None
        self.rep = self.store.add_user("Rep", email="rep@example.com")
        self.root_page_id = self.seed_page("Emulator root")

    # -- configuration --------------------------------------------------------------------

    def enable_rate_limit(
        self,
        *,
        rate: float = 3.0,
        burst: int = 10,
        scale: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> TokenBucketLimiter:
        """Token bucket per integration token; see ratelimit.py for what `scale` does.
        `monotonic` (real seconds) can be replaced to drive the bucket from a test."""
        self.rate_limiter = TokenBucketLimiter(
            rate=rate, burst=burst, scale=scale, monotonic=monotonic
        )
        return self.rate_limiter

    def disable_rate_limit(self) -> None:
        self.rate_limiter = None

    def set_short_pages(self, max_rows: int | None, *, seed: int | None = None) -> None:
        """Query responses hold at most `max_rows` rows while `has_more` is true (random
        counts from 1 to max_rows with a seed), as Notion sometimes answers."""
        options = self.store.query_options
        options.short_page_size = max_rows
        options.short_page_rng = random.Random(seed) if seed is not None else None

    # -- workspace content ----------------------------------------------------------------

    def add_user(
        self,
        name: str,
        *,
        email: str | None = None,
        user_id: str | None = None,
        avatar_url: str | None = None,
    ) -> str:
        """A person in the workspace (people properties, mentions, rep edits)."""
        return self.store.add_user(name, email=email, user_id=user_id, avatar_url=avatar_url).id

    def seed_page(
        self,
        title: str,
        *,
        parent_page_id: str | None = None,
        page_id: str | None = None,
        created_by: str | None = None,
        last_edited_by: str | None = None,
    ) -> str:
        """A page that exists before the test (workspace-level unless a parent is given)."""
        with self.store.lock:
            now = self.clock.now()
            author = created_by or self.rep.id
            page = Page(
                id=given_or_new(page_id),
                parent_type="page_id" if parent_page_id else "workspace",
                parent_id=normalize_uuid(parent_page_id) if parent_page_id else None,
                values={TITLE_ID: [text_item(title)] if title else []},
                created_time=now,
                last_edited_time=now,
                created_by=author,
                last_edited_by=last_edited_by or author,
                seq=self.store.next_seq(),
            )
            self.store.pages[page.id] = page
            return page.id

    def create_pages(
        self, data_source_id: str, rows: list[JsonDict], *, user_id: str | None = None
    ) -> list[str]:
        """Create rows directly (no HTTP, no rate limit): fast seeding for backfill tests."""
        author = user_id or self.rep.id
        parent = {"type": "data_source_id", "data_source_id": data_source_id}
        return [
            pages.create_page(
                self.store, {"parent": parent, "properties": row}, author, DEFAULT_VERSION
            ).id
            for row in rows
        ]

    # -- what a rep does in Notion ----------------------------------------------------------

    def rep_edit(
        self, page_id: str, properties: JsonDict, *, user_id: str | None = None
    ) -> JsonDict:
        """Change properties as a person would; values use the API's request format."""
        page = pages.update_page(
            self.store, page_id, {"properties": properties}, user_id or self.rep.id, DEFAULT_VERSION
        )
        return self.page_json(page.id)

    def trash_page(self, page_id: str, *, user_id: str | None = None) -> None:
        pages.set_trash(self.store, self.store.page(page_id), True, user_id or self.rep.id)

    def restore_page(self, page_id: str, *, user_id: str | None = None) -> None:
        pages.set_trash(self.store, self.store.page(page_id), False, user_id or self.rep.id)

    def update_schema(
        self, data_source_id: str, properties: JsonDict, *, user_id: str | None = None
    ) -> JsonDict:
        """Add, rename (`{"Old": {"name": "New"}}`), retype or delete (`None`) properties."""
        data_source = databases.update_data_source(
            self.store,
            data_source_id,
            {"properties": properties},
            user_id or self.rep.id,
            DEFAULT_VERSION,
        )
        return self.data_source_json(data_source.id)

    # -- reading state without HTTP -----------------------------------------------------

    def page_json(self, page_id: str, version: str = DEFAULT_VERSION) -> JsonDict:
        with self.store.lock:
            return render.page(self.store, self.store.page(page_id), version)

    def data_source_json(self, data_source_id: str, version: str = DEFAULT_VERSION) -> JsonDict:
        with self.store.lock:
            return render.data_source(self.store, self.store.data_source(data_source_id), version)

    def pages_in(self, data_source_id: str, *, include_trashed: bool = False) -> list[str]:
        with self.store.lock:
            return [
                p.id
                for p in self.store.pages.values()
                if p.parent_id == normalize_uuid(data_source_id)
                and (include_trashed or not p.in_trash)
            ]

    # -- server hooks ---------------------------------------------------------------------

    async def hang(self, seconds: float) -> None:
        """Hold a request (timeout faults), ending early when the server stops."""
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            await asyncio.sleep(0.02)

    def drop_connection(self, scope: MutableMapping[str, Any]) -> bool:
        return self.connection_dropper is not None and self.connection_dropper(scope)
