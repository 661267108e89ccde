"""The port every CRM connector implements, and the values that cross it.

A connector only talks to its CRM: it lists and fetches records, writes field values,
trashes and restores records, and says how its CRM stores a value. The sync engine owns
everything stateful (outbox, shadow values, conflict rules and log, cursors); a connector
keeps none of it, so a Salesforce or HubSpot connector is just another implementation,
registered under the entry-point group `stakeholder_intel.connectors`.

Values crossing the port are plain JSON: `None` for blank, `str`, `float`, or a sorted
`list[str]` (multi-select options; relations as the CRM's record ids). Dates are ISO
strings (`2026-05-01`, or `2026-05-01T09:30:00.000+00:00` with time).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from connectors.errors import ConnectorError
from connectors.mapping import FieldKind, SyncedEntity, SyncMapping

Value = str | float | list[str] | None


@dataclass(frozen=True)
class RemoteRecord:
    """One CRM record as the CRM stores it, in our field names."""

    external_id: str
    record_id: str | None  # our id, from the mapped record-id field; None if made in the CRM
    values: dict[str, Value]
    edited_at: datetime  # the CRM's last-edited time (Notion: to the minute)
    trashed: bool = False
    edited_by: str | None = None


@dataclass(frozen=True)
class RecordWrite:
    """Write `values` (only the fields that changed) to one record; create it when
    `external_id` is None. A create, or `stamp=True`, also writes `record_id` into the
    mapped record-id field (records first made in the CRM get stamped that way)."""

    record_id: str
    external_id: str | None
    values: dict[str, Value]
    stamp: bool = False


@dataclass(frozen=True)
class WriteResult:
    """The record as the CRM echoed it back after the write, or why the write failed.
    Neither is set for a write the connector did not attempt (the CRM went away first)."""

    record: RemoteRecord | None = None
    error: ConnectorError | None = None


@dataclass(frozen=True)
class RatePolicy:
    """How fast the connector lets itself call its CRM, and how long it keeps retrying."""

    requests_per_second: float
    burst: int
    max_attempts: int
    max_wait_seconds: float


@dataclass(frozen=True)
class ConnectorConfig:
    """What a connector is built from: a connection's mapping, its secrets (tokens) and
    options (base URL, rate, timeouts), as stored for the connection."""

    mapping: SyncMapping
    secrets: dict[str, str] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class CRMConnector(Protocol):
    """Contract:
    - `check_mapping` reads the CRM's schema and returns the problems per record type
      (empty: the mapping fits); it never raises for a mismatch.
    - `list_changes(entity, since)` yields pages of records edited at or after `since`
      (all records when `since` is None), oldest edit first. Trashed records are not
      listed; `fetch` shows them with `trashed=True`.
    - `fetch` and `find_by_record_id` return what exists, keyed by the id asked for;
      ids that do not exist are absent.
    - `upsert` returns one result per write, in order. A create whose outcome is unknown
      reports `OutcomeUnknown`: the engine looks it up by record id before creating again.
    - `normalise` returns a value as the CRM would store and echo it.
    - Transient failures are retried inside the connector within its `rate_policy`; when
      they persist, `CRMUnavailable` is raised. `calls` counts requests by kind.
    """

    name: str
    rate_policy: RatePolicy

    def check_mapping(self) -> dict[SyncedEntity, list[str]]: ...

    def list_changes(
        self, entity: SyncedEntity, since: datetime | None
    ) -> Iterator[list[RemoteRecord]]: ...

    def fetch(
        self, entity: SyncedEntity, external_ids: Sequence[str]
    ) -> dict[str, RemoteRecord]: ...

    def find_by_record_id(
        self, entity: SyncedEntity, record_ids: Sequence[str]
    ) -> dict[str, RemoteRecord]: ...

    def upsert(self, entity: SyncedEntity, writes: Sequence[RecordWrite]) -> list[WriteResult]: ...

    def set_trashed(self, entity: SyncedEntity, external_id: str, trashed: bool) -> None: ...

    def normalise(self, kind: FieldKind, value: Value) -> Value: ...

    def calls(self) -> dict[str, int]: ...

    def close(self) -> None: ...


ConnectorFactory = Callable[[ConnectorConfig], CRMConnector]
