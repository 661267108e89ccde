"""Runs the sync of every enabled CRM connection: outbox pushes and webhook hints on each
round, a poll of the CRM when the poll interval has passed, a reconcile when due."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from app.settings import Settings
from connectors import registry
from connectors.protocol import ConnectorConfig, CRMConnector
from connectors.sync import service
from connectors.sync.engine import SyncEngine
from connectors.sync.models import Connection, EngineOptions, RunReport
from core.db import unit_of_work

log = logging.getLogger(__name__)
MAX_REST = 300.0  # seconds


def deployment_options(settings: Settings, connection: Connection) -> ConnectorConfig:
    """A connection's config with this deployment's settings for its connector laid over
    what was stored (where Notion is, our pace, the token if none was stored)."""
    options = dict(connection.options)
    secrets = dict(connection.secrets)
    if connection.connector == "notion":
        options.update(settings.notion_options())
        if "token" not in secrets and settings.NOTION_TOKEN is not None:
            secrets["token"] = settings.NOTION_TOKEN.get_secret_value()
    return ConnectorConfig(connection.mapping, secrets, options)


def engine_options(settings: Settings) -> EngineOptions:
    return EngineOptions(
        reconcile_interval=timedelta(hours=settings.SYNC_RECONCILE_HOURS),
        batch_size=settings.SYNC_BATCH_SIZE,
    )


class SyncWorker:
    """Keeps one connector (and its rate limiter) per connection across rounds."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        settings: Settings,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.clock = clock
        self._connectors: dict[uuid.UUID, tuple[Connection, CRMConnector]] = {}
        self._polled_at: dict[uuid.UUID, float] = {}
        # After a failed run a connection rests, longer each time (up to MAX_REST), so a
        # CRM that is down or a revoked token is not called every second.
        self._failures: dict[uuid.UUID, int] = {}
        self._rest_until: dict[uuid.UUID, float] = {}

    def connector_for(self, connection: Connection) -> CRMConnector:
        cached = self._connectors.get(connection.id)
        if cached is not None and cached[0].mapping == connection.mapping:
            return cached[1]
        if cached is not None:
            cached[1].close()
        config = deployment_options(self.settings, connection)
        connector = registry.factory(connection.connector)(config)
        self._connectors[connection.id] = (connection, connector)
        return connector

    def engine(self, connection: Connection) -> SyncEngine:
        return SyncEngine(
            self.sessions, connection, self.connector_for(connection), engine_options(self.settings)
        )

    def run_once(self) -> int:
        """One round over all connections; the number of records moved either way."""
        moved = 0
        for report in self.run_all():
            moved += report.pulled + report.pushed + report.created_remote + report.trashed
        return moved

    def run_all(
        self, *, poll: bool | None = None, reconcile: bool | None = None
    ) -> list[RunReport]:
        with unit_of_work(self.sessions) as session:
            connections = service.enabled_connections(session)
        reports = []
        forced = poll is not None or reconcile is not None
        for connection in connections:
            now = self.clock()
            if not forced and now < self._rest_until.get(connection.id, float("-inf")):
                continue
            due = now - self._polled_at.get(connection.id, float("-inf"))
            polling = poll if poll is not None else due >= self.settings.SYNC_POLL_SECONDS
            report = self.engine(connection).run_once(poll=polling, reconcile=reconcile)
            if polling and not report.skipped:
                self._polled_at[connection.id] = now
            if report.error:
                failures = self._failures.get(connection.id, 0) + 1
                self._failures[connection.id] = failures
                self._rest_until[connection.id] = now + min(MAX_REST, 2.0**failures)
                log.warning("sync %s: %s", connection.consumer, report.error)
            else:
                self._failures.pop(connection.id, None)
            reports.append(report)
        return reports

    def close(self) -> None:
        for _, connector in self._connectors.values():
            connector.close()
        self._connectors.clear()
