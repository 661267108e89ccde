"""Domain types of the sync engine (no storage here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from connectors.mapping import SyncedEntity, SyncMapping


@dataclass(frozen=True)
class Connection:
    id: UUID
    workspace_id: UUID
    connector: str
    mapping: SyncMapping
    secrets: dict[str, str]
    options: dict[str, Any]
    enabled: bool
    paused: dict[str, list[str]]
    check_mapping: bool
    last_reconcile_at: datetime | None
    last_poll_at: datetime | None = None
    rest_until: datetime | None = None  # after failed runs, not tried before this

    @property
    def consumer(self) -> str:
        """The outbox consumer (and change origin) of this connection's sync."""
        return crm_consumer(self.connector)

    def active_entities(self) -> list[SyncedEntity]:
        """Mapped record types in dependency order, minus those paused by a schema problem."""
        return [
            e for e in SyncedEntity if e in self.mapping.entities and e.value not in self.paused
        ]


@dataclass(frozen=True)
class EngineOptions:
    reconcile_interval: timedelta = timedelta(hours=6)
    poll_interval: timedelta = timedelta(seconds=30)
    # After failed runs in a row a connection rests 2, 4, 8... seconds, up to this, so a
    # CRM that is down or a revoked token is not called every round.
    max_rest: timedelta = timedelta(minutes=5)
    # Polls re-read this far behind their cursor, and the cursor stays this far behind
    # now: CRM edit times are coarse (Notion: minutes) and its query index lags a little.
    overlap: timedelta = timedelta(minutes=2)
    batch_size: int = 100

    def __post_init__(self) -> None:
        if self.overlap < timedelta(minutes=2):
            raise ValueError("the poll overlap must be at least 2 minutes")


@dataclass
class RunReport:
    skipped: bool = False  # another worker holds this connection, or it is resting
    resting: bool = False  # skipped: failed runs before, and it is not time to try again
    reconciled: bool = False
    pulled: int = 0  # CRM records whose changes were merged here
    pushed: int = 0  # records written to the CRM
    created_remote: int = 0
    created_local: int = 0
    trashed: int = 0  # soft deletes (either direction) and restores
    conflicts: int = 0
    calls: dict[str, int] = field(default_factory=dict)
    error: str | None = None


def crm_consumer(connector: str) -> str:
    """The outbox consumer (and change origin) of a connector's sync."""
    return f"crm:{connector}"


class ConflictOut(BaseModel):
    id: UUID
    connector: str
    entity_type: str
    record_id: UUID
    external_id: str | None
    field: str
    local_value: Any
    remote_value: Any
    shadow_value: Any
    rule: str
    winner: str | None
    status: str
    reason: str
    remote_edited_by: str | None
    detected_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None


class ConnectorStatus(BaseModel):
    connection_id: UUID
    connector: str
    enabled: bool
    backlog: int
    failing: int
    oldest_pending_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    last_reconcile_at: datetime | None
    last_poll_at: datetime | None
    rest_until: datetime | None  # failed runs in a row: not tried again before this
    open_conflicts: int
    conflicts: int
    calls: dict[str, int]
    paused: dict[str, list[str]]
    linked_records: dict[str, int]
