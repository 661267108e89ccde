"""NotionConnector: the CRMConnector protocol over Notion data sources and pages."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from functools import partial
from typing import Any

from notion_client import Client

from connectors.errors import ConnectorError, RecordMissing, RecordRejected
from connectors.mapping import CATALOGUE, FieldKind, SyncedEntity, SyncMapping
from connectors.notion import values
from connectors.notion.api import NotionApi, api_from_options
from connectors.notion.schema import problems_in, retrieve_data_source
from connectors.protocol import (
    ConnectorConfig,
    RecordWrite,
    RemoteRecord,
    Value,
    WriteResult,
)

JsonDict = dict[str, Any]
PAGE_SIZE = 100
LOOKUP_CHUNK = 50  # record ids per `or` filter when looking pages up by our id


def _retrieve_page(client: Client, page_id: str) -> Any:
    return client.pages.retrieve(page_id=page_id)


def _query_data_source(client: Client, data_source_id: str, body: JsonDict) -> Any:
    return client.data_sources.query(data_source_id=data_source_id, **body)


def _property_items(client: Client, page_id: str, property_id: str, query: JsonDict) -> Any:
    return client.pages.properties.retrieve(page_id=page_id, property_id=property_id, **query)


def _when(raw: str) -> datetime:
    return datetime.fromisoformat(raw.replace("Z", "+00:00"))


class NotionConnector:
    name = "notion"

    def __init__(self, api: NotionApi, mapping: SyncMapping) -> None:
        self.api = api
        self.mapping = mapping
        self.rate_policy = api.policy

    # -- schema -------------------------------------------------------------------------

    def check_mapping(self) -> dict[SyncedEntity, list[str]]:
        problems: dict[SyncedEntity, list[str]] = {}
        for entity, mapped in self.mapping.entities.items():
            try:
                data_source = retrieve_data_source(self.api, mapped.location)
            except RecordMissing:
                problems[entity] = [
                    f"{entity}: data source {mapped.location} not found or not shared with "
                    "the integration"
                ]
                continue
            problems[entity] = problems_in(self.mapping, entity, data_source)
        return problems

    # -- reading ------------------------------------------------------------------------

    def list_changes(
        self, entity: SyncedEntity, since: datetime | None
    ) -> Iterator[list[RemoteRecord]]:
        body: JsonDict = {
            "sorts": [{"timestamp": "last_edited_time", "direction": "ascending"}],
            "page_size": PAGE_SIZE,
        }
        if since is not None:
            body["filter"] = {
                "timestamp": "last_edited_time",
                "last_edited_time": {"on_or_after": since.isoformat()},
            }
        for page in self._query(entity, body):
            yield [self._record(entity, p) for p in page]

    def fetch(self, entity: SyncedEntity, external_ids: Sequence[str]) -> dict[str, RemoteRecord]:
        found = {}
        for external_id in external_ids:
            try:
                page = self.api.call(
                    "pages.retrieve", partial(_retrieve_page, page_id=external_id), idempotent=True
                )
            except RecordMissing:
                continue
            record = self._record(entity, page)
            if record.record_id is None and not self._belongs(entity, page):
                continue
            found[external_id] = record
        return found

    def find_by_record_id(
        self, entity: SyncedEntity, record_ids: Sequence[str]
    ) -> dict[str, RemoteRecord]:
        prop = self.mapping.entities[entity].record_id
        found: dict[str, RemoteRecord] = {}
        for start in range(0, len(record_ids), LOOKUP_CHUNK):
            chunk = record_ids[start : start + LOOKUP_CHUNK]
            body: JsonDict = {
                "filter": {
                    "or": [{"property": prop, "rich_text": {"equals": rid}} for rid in chunk]
                },
                "page_size": PAGE_SIZE,
            }
            for page in self._query(entity, body):
                for raw in page:
                    record = self._record(entity, raw)
                    rid = record.record_id
                    if rid is not None and rid in chunk and rid not in found:
                        found[rid] = record
        return found

    def _query(self, entity: SyncedEntity, body: JsonDict) -> Iterator[list[JsonDict]]:
        location = self.mapping.entities[entity].location
        cursor: str | None = None
        while True:
            request = dict(body, start_cursor=cursor) if cursor else body
            result = self.api.call(
                "data_sources.query",
                partial(_query_data_source, data_source_id=location, body=request),
                idempotent=True,
            )
            yield [p for p in result["results"] if p.get("object") == "page"]
            cursor = result.get("next_cursor")
            if not result.get("has_more") or not cursor:
                return

    def _belongs(self, entity: SyncedEntity, page: JsonDict) -> bool:
        parent = page.get("parent", {})
        location = values.page_id(self.mapping.entities[entity].location)
        return values.page_id(parent.get("data_source_id", "")) == location

    def _record(
        self, entity: SyncedEntity, page: JsonDict, written: dict[str, Value] | None = None
    ) -> RemoteRecord:
        """A page in our field names; a relation Notion cut at 25 is read in full through
        the property-item endpoint (or, for the echo of our own write, is what we wrote)."""
        mapped = self.mapping.entities[entity]
        by_id = {prop["id"]: prop for prop in page.get("properties", {}).values()}
        record_values: dict[str, Value] = {}
        for name, field in mapped.fields.items():
            prop = by_id.get(field.remote)
            if prop is None:
                raise RecordRejected(
                    f"Notion page {page['id']} has no property {field.remote!r} for {entity}.{name}"
                )
            value = values.decode(prop)
            if isinstance(value, values.Truncated):
                if written is not None and name in written:
                    value = written[name]
                else:
                    value = self._full_relation(page["id"], field.remote)
            record_values[name] = value
        record_id_prop = by_id.get(mapped.record_id)
        record_id = values.decode(record_id_prop) if record_id_prop else None
        return RemoteRecord(
            external_id=values.page_id(page["id"]),
            record_id=record_id if isinstance(record_id, str) else None,
            values=record_values,
            edited_at=_when(page["last_edited_time"]),
            trashed=bool(page.get("in_trash") or page.get("archived")),
            edited_by=(page.get("last_edited_by") or {}).get("id"),
        )

    def _full_relation(self, page_id: str, property_id: str) -> Value:
        ids: list[str] = []
        cursor: str | None = None
        while True:
            query: JsonDict = {"page_size": PAGE_SIZE}
            if cursor:
                query["start_cursor"] = cursor
            result = self.api.call(
                "pages.properties.retrieve",
                partial(_property_items, page_id=page_id, property_id=property_id, query=query),
                idempotent=True,
            )
            ids.extend(item["relation"]["id"] for item in result.get("results", []))
            cursor = result.get("next_cursor")
            if not result.get("has_more") or not cursor:
                return values.normalise(FieldKind.RELATION, ids)

    # -- writing ------------------------------------------------------------------------

    def upsert(self, entity: SyncedEntity, writes: Sequence[RecordWrite]) -> list[WriteResult]:
        results: list[WriteResult] = []
        for position, write in enumerate(writes):
            try:
                results.append(WriteResult(record=self._write(entity, write)))
            except (RecordRejected, RecordMissing) as exc:  # this record only
                results.append(WriteResult(error=exc))
            except ConnectorError as exc:
                # Notion is away (or the outcome is unknown): report this write, leave the
                # rest unattempted rather than spend the retry budget on each of them.
                results.append(WriteResult(error=exc))
                results.extend(WriteResult() for _ in writes[position + 1 :])
                break
        return results

    def _write(self, entity: SyncedEntity, write: RecordWrite) -> RemoteRecord:
        mapped = self.mapping.entities[entity]
        properties: JsonDict = {}
        for name, value in write.values.items():
            spec = CATALOGUE[entity][name]
            properties[mapped.fields[name].remote] = values.encode(
                spec.kind, value, f"{entity}.{name}"
            )
        if write.external_id is None or write.stamp:
            properties[mapped.record_id] = values.encode(
                FieldKind.TEXT, write.record_id, "record id"
            )
        if write.external_id is None:
            body = {
                "parent": {"type": "data_source_id", "data_source_id": mapped.location},
                "properties": properties,
            }
            page: JsonDict = self.api.call(
                "pages.create", lambda client: client.pages.create(**body), idempotent=False
            )
        else:
            external_id = write.external_id
            page = self.api.call(
                "pages.update",
                lambda client: client.pages.update(page_id=external_id, properties=properties),
                idempotent=True,
            )
        return self._record(entity, page, written=write.values)

    def set_trashed(self, entity: SyncedEntity, external_id: str, trashed: bool) -> None:
        self.api.call(
            "pages.update",
            lambda client: client.pages.update(page_id=external_id, in_trash=trashed),
            idempotent=True,
        )

    # -- values and bookkeeping ------------------------------------------------------------

    def normalise(self, kind: FieldKind, value: Value) -> Value:
        return values.normalise(kind, value)

    def calls(self) -> dict[str, int]:
        return dict(self.api.counts)

    def close(self) -> None:
        self.api.close()


def make_connector(config: ConnectorConfig) -> NotionConnector:
    """The entry point registered as `notion`: a connector from a connection's config."""
    token = config.secrets.get("token")
    if not token:
        raise ConnectorError("the Notion connection has no integration token (secrets.token)")
    api = api_from_options(token, config.options)
    return NotionConnector(api, config.mapping)
