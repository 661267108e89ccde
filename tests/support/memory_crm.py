"""A CRM that lives in memory, implementing the CRMConnector protocol: what a third-party
connector package provides. The registry test installs it as its own distribution."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from connectors.mapping import FieldKind, SyncedEntity, SyncMapping
from connectors.protocol import (
    ConnectorConfig,
    RatePolicy,
    RecordWrite,
    RemoteRecord,
    Value,
    WriteResult,
)

PAGE = 50


@dataclass
class StoredRecord:
    values: dict[str, Value]
    record_id: str | None
    edited_at: datetime
    trashed: bool = False


@dataclass
class MemoryStore:
    """The CRM's data: records per record type, and a clock that ticks a second a write."""

    records: dict[SyncedEntity, dict[str, StoredRecord]] = field(default_factory=dict)
    now: datetime = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    ids: Iterator[int] = field(default_factory=itertools.count)

    def tick(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now

    def of(self, entity: SyncedEntity) -> dict[str, StoredRecord]:
        return self.records.setdefault(entity, {})

    def edit(self, entity: SyncedEntity, external_id: str, **values: Value) -> None:
        """Someone edits the record in the CRM."""
        record = self.of(entity)[external_id]
        record.values.update(values)
        record.edited_at = self.tick()


STORES: dict[str, MemoryStore] = {}


class MemoryConnector:
    name = "memory"

    def __init__(self, store: MemoryStore, mapping: SyncMapping) -> None:
        self.store = store
        self.mapping = mapping
        self.rate_policy = RatePolicy(1_000.0, 100, 1, 1.0)
        self.counts: dict[str, int] = {}

    def _count(self, kind: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        self.counts["total"] = self.counts.get("total", 0) + 1

    def _remote(self, external_id: str, stored: StoredRecord) -> RemoteRecord:
        return RemoteRecord(
            external_id, stored.record_id, dict(stored.values), stored.edited_at, stored.trashed
        )

    def check_mapping(self) -> dict[SyncedEntity, list[str]]:
        return {entity: [] for entity in self.mapping.entities}

    def list_changes(
        self, entity: SyncedEntity, since: datetime | None
    ) -> Iterator[list[RemoteRecord]]:
        found = sorted(
            (
                (stored.edited_at, external_id, stored)
                for external_id, stored in self.store.of(entity).items()
                if not stored.trashed and (since is None or stored.edited_at >= since)
            ),
            key=lambda item: (item[0], item[1]),
        )
        for start in range(0, max(len(found), 1), PAGE):
            self._count("list")
            yield [
                self._remote(external_id, stored)
                for _, external_id, stored in found[start : start + PAGE]
            ]

    def fetch(self, entity: SyncedEntity, external_ids: Sequence[str]) -> dict[str, RemoteRecord]:
        self._count("fetch")
        records = self.store.of(entity)
        return {i: self._remote(i, records[i]) for i in external_ids if i in records}

    def find_by_record_id(
        self, entity: SyncedEntity, record_ids: Sequence[str]
    ) -> dict[str, RemoteRecord]:
        self._count("find")
        return {
            stored.record_id: self._remote(external_id, stored)
            for external_id, stored in self.store.of(entity).items()
            if stored.record_id in record_ids and stored.record_id is not None
        }

    def upsert(self, entity: SyncedEntity, writes: Sequence[RecordWrite]) -> list[WriteResult]:
        results = []
        for write in writes:
            self._count("write")
            records = self.store.of(entity)
            if write.external_id is None:
                external_id = f"mem-{next(self.store.ids)}"
                records[external_id] = StoredRecord(
                    {name: None for name in self.mapping.entities[entity].fields},
                    write.record_id,
                    self.store.now,
                )
            else:
                external_id = write.external_id
            stored = records[external_id]
            stored.values.update(write.values)
            if write.stamp:
                stored.record_id = write.record_id
            stored.edited_at = self.store.tick()
            results.append(WriteResult(record=self._remote(external_id, stored)))
        return results

    def set_trashed(self, entity: SyncedEntity, external_id: str, trashed: bool) -> None:
        self._count("trash")
        self.store.of(entity)[external_id].trashed = trashed

    def normalise(self, kind: FieldKind, value: Any) -> Value:
        if value is None or value == "" or value == []:
            return None
        if kind is FieldKind.NUMBER:
            return float(value)
        if kind is FieldKind.DATE:
            return value.isoformat() if isinstance(value, date) else str(value)
        if kind in (FieldKind.MULTI_SELECT, FieldKind.RELATION):
            return sorted(str(v) for v in value)
        return str(value)

    def calls(self) -> dict[str, int]:
        return dict(self.counts)

    def close(self) -> None:
        pass


def make_connector(config: ConnectorConfig) -> MemoryConnector:
    return MemoryConnector(
        STORES.setdefault(str(config.options["store"]), MemoryStore()), config.mapping
    )
