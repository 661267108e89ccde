"""Use cases of the sync: connecting a workspace to a CRM, status, the conflict log and
its resolution. Functions take a session and at most flush."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from connectors.mapping import CATALOGUE, SyncedEntity, SyncMapping
from connectors.sync import repository
from connectors.sync.context import ENTITY_OUTBOX_TYPE, ISSUE_FIELD
from connectors.sync.local import LocalRecords
from connectors.sync.models import ConflictOut, Connection, ConnectorStatus, crm_consumer
from connectors.sync.tables import ConflictRow, ConnectionRow
from core.db import utcnow
from core.errors import InvalidInput, NotFound
from core.outbox import repository as outbox
from core.outbox.models import Change, EntityType
from core.pagination import Page, Position, decode_cursor, encode_cursor


class ConflictNotFound(NotFound):
    code = "conflict_not_found"


class ConnectionNotFound(NotFound):
    code = "connection_not_found"


# What a CRM shows: accounts, people (scores and roles arrive with ACCOUNT_GRAPH, after
# each rescoring), and deals with their action items.
CRM_ENTITIES = frozenset(
    {EntityType.ACCOUNT, EntityType.STAKEHOLDER, EntityType.OPPORTUNITY, EntityType.ACCOUNT_GRAPH}
)


def crm_consumers(session: Session, workspace_id: uuid.UUID) -> list[str]:
    """The outbox consumers of a workspace's enabled CRM connections."""
    return [crm_consumer(name) for name in repository.enabled_connectors(session, workspace_id)]


def connect(
    session: Session,
    workspace_id: uuid.UUID,
    connector: str,
    mapping: SyncMapping,
    secrets: dict[str, str],
    options: dict[str, Any] | None = None,
) -> Connection:
    row = repository.save_connection(
        session,
        workspace_id,
        connector,
        mapping.model_dump(mode="json", exclude_none=True),
        secrets,
        options or {},
    )
    return repository.to_connection(row)


def connection(session: Session, connection_id: uuid.UUID) -> Connection:
    row = repository.connection_row(session, connection_id)
    if row is None:
        raise ConnectionNotFound(f"no CRM connection {connection_id}")
    return repository.to_connection(row)


def enabled_connections(session: Session) -> list[Connection]:
    return [
        repository.to_connection(row) for row in repository.connections(session, enabled_only=True)
    ]


def _status(session: Session, row: ConnectionRow) -> ConnectorStatus:
    backlog = outbox.backlog(session, crm_consumer(row.connector), workspace_id=row.workspace_id)
    total, still_open = repository.count_conflicts(session, row.id)
    return ConnectorStatus(
        connection_id=row.id,
        connector=row.connector,
        enabled=row.enabled,
        backlog=backlog.pending,
        failing=backlog.failing,
        oldest_pending_at=backlog.oldest_pending_at,
        last_success_at=row.last_success_at,
        last_error=row.last_error or backlog.last_error,
        last_error_at=row.last_error_at,
        last_reconcile_at=row.last_reconcile_at,
        last_poll_at=row.last_poll_at,
        rest_until=row.rest_until,
        open_conflicts=still_open,
        conflicts=total,
        calls=dict(row.calls),
        paused=dict(row.paused),
        linked_records=repository.count_links(session, row.id),
    )


def status(session: Session, workspace_id: uuid.UUID | None = None) -> list[ConnectorStatus]:
    """Per connection: backlog, last success and error, conflicts, calls made."""
    return [_status(session, row) for row in repository.connections(session, workspace_id)]


class ConflictStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


def _out(row: ConflictRow, connector: str) -> ConflictOut:
    return ConflictOut.model_validate(
        {
            **{c: getattr(row, c) for c in ConflictOut.model_fields if c != "connector"},
            "connector": connector,
        }
    )


def list_conflicts(
    session: Session,
    workspace_id: uuid.UUID,
    *,
    status_filter: ConflictStatus | None,
    limit: int,
    cursor: str | None,
) -> Page[ConflictOut]:
    before = None
    if cursor:
        position = decode_cursor(cursor)
        before = (position.created_at, position.id)
    rows = repository.conflicts(
        session,
        workspace_id,
        status=status_filter.value if status_filter else None,
        limit=limit + 1,
        before=before,
    )
    items = [_out(row, connector) for row, connector in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1][0]
        next_cursor = encode_cursor(Position(last.detected_at, last.id))
    return Page(items=items, next_cursor=next_cursor)


class Resolution(BaseModel):
    model_config = ConfigDict(extra="forbid")

    winner: Literal["postgres", "crm", "dismiss"] = Field(
        description="postgres (ours) or crm (theirs); dismiss closes a record-level entry"
    )


def resolve_conflict(
    session: Session,
    workspace_id: uuid.UUID,
    conflict_id: uuid.UUID,
    resolution: Resolution,
    actor: str,
) -> ConflictOut:
    """A person settles a conflict: the chosen value becomes the value on both sides
    (here at once, in the CRM at the next push). A decided conflict can be decided again
    the other way."""
    found = repository.conflict(session, workspace_id, conflict_id, lock=True)
    if found is None:
        raise ConflictNotFound(f"no sync conflict {conflict_id}")
    row, connector = found
    winner = resolution.winner
    if row.field == ISSUE_FIELD:
        if winner != "dismiss":
            raise InvalidInput(
                "this entry is about a whole record; the only resolution is 'dismiss'",
                field="body.winner",
            )
    else:
        if winner not in ("postgres", "crm"):
            raise InvalidInput("winner must be 'postgres' or 'crm'", field="body.winner")
        _apply_choice(session, workspace_id, row, connector, winner, actor)
    row.status = ConflictStatus.RESOLVED.value
    row.winner = None if winner == "dismiss" else winner
    row.resolved_at = utcnow()
    row.resolved_by = actor
    session.flush()
    return _out(row, connector)


def _apply_choice(
    session: Session,
    workspace_id: uuid.UUID,
    row: ConflictRow,
    connector: str,
    winner: str,
    actor: str,
) -> None:
    entity = SyncedEntity(row.entity_type)
    spec = CATALOGUE[entity][row.field]
    if winner == "crm" and not spec.editable_in_crm:
        raise InvalidInput(
            f"{entity}.{row.field} is computed here and read-only in the CRM",
            field="body.winner",
        )
    chosen = row.local_value if winner == "postgres" else row.remote_value
    local = LocalRecords(session, workspace_id, crm_consumer(connector))
    current = local.read(entity, [row.record_id]).get(row.record_id)
    if current is None or current.deleted:
        raise InvalidInput(f"the {entity} of this conflict no longer exists here")
    if spec.editable_in_crm:
        local.apply(entity, row.record_id, {row.field: chosen}, actor)
    links = repository.links_by_record(session, row.connection_id, entity, [row.record_id])
    link = links.get(row.record_id)
    if link is not None:
        # The CRM holds its value until our next push writes the chosen one.
        link.shadow = {**link.shadow, row.field: row.remote_value}
        link.remote_hash = None
    target = entity if entity in ENTITY_OUTBOX_TYPE else SyncedEntity.OPPORTUNITY
    target_id = row.record_id
    if entity is SyncedEntity.ACTION_ITEM:
        target_id = uuid.UUID(current.values["opportunity"][0])
    outbox.enqueue(
        session,
        [Change(workspace_id, ENTITY_OUTBOX_TYPE[target], target_id, origin="rep")],
        [crm_consumer(connector)],
    )
