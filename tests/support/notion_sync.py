"""The sync wired to a Notion emulator: databases made by our own `setup` code, a
connection for the test's workspace, and helpers to look at both sides."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from app.runtime import Runtime
from app.settings import Settings
from app.workers.sync import SyncWorker
from connectors.mapping import SyncedEntity, SyncMapping
from connectors.notion.api import api_from_options
from connectors.notion.schema import PROPERTY_NAMES, create_databases, integration_bot_id
from connectors.notion.values import page_id
from connectors.sync import service
from connectors.sync.models import Connection, RunReport
from connectors.sync.tables import ConflictRow, LinkRow
from core.db import unit_of_work
from core.outbox import repository as outbox
from tests.notion_emulator import DEFAULT_TOKEN, NotionEmulator, RunningEmulator, running_emulator

START = datetime(2026, 7, 6, 9, 0, tzinfo=UTC)


def fast_settings(settings: Settings, base_url: str, **overrides: Any) -> Settings:
    """The test's settings pointed at the emulator, with short retry waits."""
    values: dict[str, Any] = {
        "NOTION_BASE_URL": base_url,
        "NOTION_REQUESTS_PER_SECOND": 1_000.0,
        "NOTION_BURST": 100,
        "NOTION_TIMEOUT_SECONDS": 2.0,
        "NOTION_MAX_ATTEMPTS": 10,
        "NOTION_MAX_WAIT_SECONDS": 2.0,
        "SYNC_POLL_SECONDS": 0.0001,
    }
    values.update(overrides)
    return settings.model_copy(update=values)


@dataclass
class NotionSync:
    runtime: Runtime
    workspace_id: uuid.UUID
    emulator: NotionEmulator
    server: RunningEmulator
    settings: Settings
    mapping: SyncMapping
    connection_id: uuid.UUID
    worker: SyncWorker
    reports: list[RunReport] = field(default_factory=list)

    # -- running ----------------------------------------------------------------------

    def connection(self) -> Connection:
        with unit_of_work(self.runtime.session_factory) as session:
            return service.connection(session, self.connection_id)

    def run(self, *, poll: bool = True, reconcile: bool | None = False) -> RunReport:
        """One engine pass (poll, no reconcile unless asked), after the outbox workers."""
        self.runtime.drain()
        report = self.worker.engine(self.connection()).run_once(poll=poll, reconcile=reconcile)
        self.reports.append(report)
        self.runtime.drain()
        return report

    def settle(self, rounds: int = 5) -> list[RunReport]:
        """Run until a pass moves nothing (or `rounds` passes)."""
        done = []
        for _ in range(rounds):
            report = self.run()
            done.append(report)
            if not (report.pulled or report.pushed or report.created_remote or report.trashed):
                break
        return done

    # -- Notion side ---------------------------------------------------------------------

    def data_source(self, entity: SyncedEntity) -> str:
        return self.mapping.entities[entity].location

    def column(self, entity: SyncedEntity, name: str) -> str:
        return PROPERTY_NAMES[entity][name]

    def pages(self, entity: SyncedEntity, *, include_trashed: bool = False) -> list[str]:
        return self.emulator.pages_in(self.data_source(entity), include_trashed=include_trashed)

    def page(self, external_id: str) -> dict[str, Any]:
        return self.emulator.page_json(external_id)

    def value(self, external_id: str, entity: SyncedEntity, name: str) -> Any:
        prop = self.page(external_id)["properties"][self.column(entity, name)]
        kind = prop["type"]
        raw = prop[kind]
        if kind in ("title", "rich_text"):
            return "".join(item["plain_text"] for item in raw) or None
        if kind == "select":
            return raw["name"] if raw else None
        if kind == "date":
            return raw["start"] if raw else None
        if kind == "multi_select":
            return sorted(option["name"] for option in raw)
        if kind == "relation":
            return [page_id(item["id"]) for item in raw]
        return raw

    def rep_edit(self, external_id: str, entity: SyncedEntity, **values: Any) -> None:
        """A rep changes columns in Notion (values in the API's request format)."""
        self.emulator.rep_edit(
            external_id, {self.column(entity, name): value for name, value in values.items()}
        )

    # -- our side -------------------------------------------------------------------------

    def external_id(self, entity: SyncedEntity, record_id: uuid.UUID) -> str | None:
        with unit_of_work(self.runtime.session_factory) as session:
            link = session.get(LinkRow, (self.connection_id, entity.value, record_id))
            return link.external_id if link else None

    def record_id(self, external_id: str) -> uuid.UUID | None:
        with unit_of_work(self.runtime.session_factory) as session:
            return session.scalar(
                select(LinkRow.record_id).where(
                    LinkRow.connection_id == self.connection_id,
                    LinkRow.external_id == page_id(external_id),
                )
            )

    def conflicts(self) -> list[ConflictRow]:
        with unit_of_work(self.runtime.session_factory) as session:
            rows = list(
                session.scalars(
                    select(ConflictRow)
                    .where(ConflictRow.connection_id == self.connection_id)
                    .order_by(ConflictRow.detected_at)
                )
            )
            session.expunge_all()
            return rows

    def backlog(self) -> int:
        """Outbox rows the sync has not written yet."""
        with unit_of_work(self.runtime.session_factory) as session:
            return outbox.backlog(session, "crm:notion", workspace_id=self.workspace_id).pending

    def link_count(self) -> int:
        with unit_of_work(self.runtime.session_factory) as session:
            return (
                session.scalar(
                    select(func.count())
                    .select_from(LinkRow)
                    .where(
                        LinkRow.connection_id == self.connection_id,
                        LinkRow.external_id.is_not(None),
                    )
                )
                or 0
            )


def set_up_notion(
    runtime: Runtime,
    workspace_id: uuid.UUID,
    emulator: NotionEmulator,
    server: RunningEmulator,
    **overrides: Any,
) -> NotionSync:
    """Databases under the emulator's root page, made by `create_databases`, and a
    connection of the workspace to them."""
    settings = fast_settings(runtime.settings, server.base_url, **overrides)
    api = api_from_options(DEFAULT_TOKEN, settings.notion_options())
    try:
        mapping = create_databases(api, emulator.root_page_id)
        bot_id = integration_bot_id(api)
    finally:
        api.close()
    with unit_of_work(runtime.session_factory) as session:
        connection = service.connect(
            session, workspace_id, "notion", mapping, {"token": DEFAULT_TOKEN}, {"bot_id": bot_id}
        )
    worker = SyncWorker(runtime.session_factory, settings)
    return NotionSync(
        runtime, workspace_id, emulator, server, settings, mapping, connection.id, worker
    )


@contextmanager
def notion_sync(
    runtime: Runtime, workspace_id: uuid.UUID, **overrides: Any
) -> Iterator[NotionSync]:
    emulator = NotionEmulator(start=START)
    with running_emulator(emulator) as server:
        sync = set_up_notion(runtime, workspace_id, emulator, server, **overrides)
        try:
            yield sync
        finally:
            sync.worker.close()
