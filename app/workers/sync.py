"""Runs the sync of every enabled CRM connection: outbox pushes and webhook hints on each
round, a poll of the CRM when the poll interval has passed, a reconcile when due."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from app.settings import Settings
from connectors import registry
from connectors.protocol import ConnectorConfig, CRMConnector
from connectors.sync import service
from connectors.sync.engine import SyncEngine
from connectors.sync.models import Connection, EngineOptions, RunReport
from core.db import unit_of_work, utcnow


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
        poll_interval=timedelta(seconds=settings.SYNC_POLL_SECONDS),
        batch_size=settings.SYNC_BATCH_SIZE,
    )


class SyncWorker:
    """Keeps one connector (and its rate limiter) per connection across rounds. When a
    connection is due (a poll, a reconcile, a retry after failures) is the connection's
    own schedule in Postgres, shared by every process that runs the sync."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        settings: Settings,
        *,
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.now = now
        self._connectors: dict[uuid.UUID, tuple[Connection, CRMConnector]] = {}

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
            self.sessions,
            connection,
            self.connector_for(connection),
            engine_options(self.settings),
            now=self.now,
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
        """One run of each enabled connection (see `SyncEngine.run_once` for `poll` and
        `reconcile`); a connection another worker holds, or resting, reports `skipped`."""
        with unit_of_work(self.sessions) as session:
            connections = service.enabled_connections(session)
        return [
            self.engine(connection).run_once(poll=poll, reconcile=reconcile)
            for connection in connections
        ]

    def close(self) -> None:
        for _, connector in self._connectors.values():
            connector.close()
        self._connectors.clear()
