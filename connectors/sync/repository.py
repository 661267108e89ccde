"""All SQL of the sync engine: connections, links and shadows, cursors, conflicts,
webhook events and hints."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from connectors.mapping import SyncedEntity, SyncMapping
from connectors.sync.models import Connection
from connectors.sync.tables import (
    ConflictRow,
    ConnectionRow,
    CursorRow,
    HintRow,
    LinkRow,
    WebhookEventRow,
)
from core.db import utcnow

# --- connections ----------------------------------------------------------------------


def to_connection(row: ConnectionRow) -> Connection:
    return Connection(
        id=row.id,
        workspace_id=row.workspace_id,
        connector=row.connector,
        mapping=SyncMapping.model_validate(row.mapping),
        secrets=dict(row.secrets),
        options=dict(row.options),
        enabled=row.enabled,
        paused=dict(row.paused),
        check_mapping=row.check_mapping,
        last_reconcile_at=row.last_reconcile_at,
        last_poll_at=row.last_poll_at,
        rest_until=row.rest_until,
    )


def connection_row(
    session: Session, connection_id: uuid.UUID, *, lock: bool = False
) -> ConnectionRow | None:
    query = select(ConnectionRow).where(ConnectionRow.id == connection_id)
    return session.scalar(query.with_for_update() if lock else query)


def connection_for(
    session: Session, workspace_id: uuid.UUID, connector: str
) -> ConnectionRow | None:
    return session.scalar(
        select(ConnectionRow).where(
            ConnectionRow.workspace_id == workspace_id, ConnectionRow.connector == connector
        )
    )


def connections(
    session: Session, workspace_id: uuid.UUID | None = None, *, enabled_only: bool = False
) -> list[ConnectionRow]:
    query = select(ConnectionRow).order_by(ConnectionRow.created_at)
    if workspace_id is not None:
        query = query.where(ConnectionRow.workspace_id == workspace_id)
    if enabled_only:
        query = query.where(ConnectionRow.enabled.is_(True))
    return list(session.scalars(query))


def enabled_connectors(session: Session, workspace_id: uuid.UUID) -> list[str]:
    return list(
        session.scalars(
            select(ConnectionRow.connector)
            .where(ConnectionRow.workspace_id == workspace_id, ConnectionRow.enabled.is_(True))
            .order_by(ConnectionRow.connector)
        )
    )


def save_connection(
    session: Session,
    workspace_id: uuid.UUID,
    connector: str,
    mapping: dict[str, Any],
    secrets: dict[str, str],
    options: dict[str, Any],
) -> ConnectionRow:
    """Create the workspace's connection to `connector`, or replace its mapping, secrets
    and options (keeping links and shadows: ids in the CRM do not change)."""
    row = connection_for(session, workspace_id, connector)
    if row is None:
        row = ConnectionRow(workspace_id=workspace_id, connector=connector, mapping=mapping)
        session.add(row)
    row.mapping = mapping
    row.secrets = {**(row.secrets or {}), **secrets}
    row.options = options
    row.enabled = True
    row.paused = {}
    row.check_mapping = True
    session.flush()
    return row


def record_run(
    session: Session,
    connection_id: uuid.UUID,
    calls: dict[str, int],
    *,
    error: str | None,
    now: datetime,
    max_rest: timedelta,
    reconciled_at: datetime | None = None,
    polled_at: datetime | None = None,
) -> None:
    """Add a run's calls to the totals and note its outcome: a success clears the rest, a
    failure makes the connection rest 2^n seconds (n failures in a row, up to `max_rest`)."""
    row = connection_row(session, connection_id, lock=True)
    if row is None:
        return
    totals = dict(row.calls)
    for kind, count in calls.items():
        totals[kind] = totals.get(kind, 0) + count
    row.calls = totals
    if error is None:
        row.last_success_at = utcnow()
        row.failures_in_a_row, row.rest_until = 0, None
    else:
        row.last_error, row.last_error_at = error[:2000], utcnow()
        row.failures_in_a_row += 1
        rest = min(max_rest, timedelta(seconds=2.0**row.failures_in_a_row))
        row.rest_until = now + rest
    if reconciled_at is not None:
        row.last_reconcile_at = reconciled_at
    if polled_at is not None:
        row.last_poll_at = polled_at


def set_paused(session: Session, connection_id: uuid.UUID, paused: dict[str, list[str]]) -> None:
    session.execute(
        update(ConnectionRow)
        .where(ConnectionRow.id == connection_id)
        .values(paused=paused, check_mapping=False)
    )


def request_mapping_check(session: Session, connection_id: uuid.UUID) -> None:
    session.execute(
        update(ConnectionRow).where(ConnectionRow.id == connection_id).values(check_mapping=True)
    )


def set_webhook_token(session: Session, connection_id: uuid.UUID, token: str | None) -> None:
    row = connection_row(session, connection_id, lock=True)
    if row is None:
        return
    secrets = dict(row.secrets)
    if token is None:
        secrets.pop("webhook_token", None)
    else:
        secrets["webhook_token"] = token
    row.secrets = secrets


# --- links and shadows -------------------------------------------------------------------


def links_by_record(
    session: Session,
    connection_id: uuid.UUID,
    entity: SyncedEntity,
    record_ids: Iterable[uuid.UUID],
) -> dict[uuid.UUID, LinkRow]:
    ids = list(record_ids)
    if not ids:
        return {}
    rows = session.scalars(
        select(LinkRow).where(
            LinkRow.connection_id == connection_id,
            LinkRow.entity_type == entity.value,
            LinkRow.record_id.in_(ids),
        )
    )
    return {row.record_id: row for row in rows}


def links_by_external(
    session: Session, connection_id: uuid.UUID, external_ids: Iterable[str]
) -> dict[str, LinkRow]:
    ids = list(external_ids)
    if not ids:
        return {}
    rows = session.scalars(
        select(LinkRow).where(LinkRow.connection_id == connection_id, LinkRow.external_id.in_(ids))
    )
    return {row.external_id: row for row in rows if row.external_id}


def add_link(
    session: Session,
    connection_id: uuid.UUID,
    entity: SyncedEntity,
    record_id: uuid.UUID,
    **values: Any,
) -> LinkRow:
    row = LinkRow(
        connection_id=connection_id, entity_type=entity.value, record_id=record_id, **values
    )
    session.add(row)
    session.flush()
    return row


def add_pending_links(
    session: Session,
    connection_id: uuid.UUID,
    entity: SyncedEntity,
    record_ids: Sequence[uuid.UUID],
    started: datetime,
) -> None:
    """Links for records about to be created in the CRM, marked as started, in one
    statement (a backfill marks a batch at a time)."""
    if not record_ids:
        return
    statement = pg_insert(LinkRow).values(
        [
            {
                "connection_id": connection_id,
                "entity_type": entity.value,
                "record_id": record_id,
                "create_started_at": started,
                "shadow": {},
                "sent": {},
                "stamped": True,
                "remote_trashed": False,
                "updated_at": started,
            }
            for record_id in record_ids
        ]
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["connection_id", "entity_type", "record_id"],
            set_={"create_started_at": statement.excluded.create_started_at},
        )
    )


def linked_external_ids(
    session: Session, connection_id: uuid.UUID, entity: SyncedEntity
) -> dict[str, uuid.UUID]:
    """external id -> record id of every record of `entity` live in the CRM as we know it."""
    rows = session.execute(
        select(LinkRow.external_id, LinkRow.record_id).where(
            LinkRow.connection_id == connection_id,
            LinkRow.entity_type == entity.value,
            LinkRow.external_id.is_not(None),
            LinkRow.remote_trashed.is_(False),
        )
    )
    return {external_id: record_id for external_id, record_id in rows if external_id}


def unlinked(
    session: Session,
    connection_id: uuid.UUID,
    entity: SyncedEntity,
    record_ids: Sequence[uuid.UUID],
) -> list[uuid.UUID]:
    """Which of `record_ids` have no record in the CRM yet (in their order)."""
    if not record_ids:
        return []
    linked = set(
        session.scalars(
            select(LinkRow.record_id).where(
                LinkRow.connection_id == connection_id,
                LinkRow.entity_type == entity.value,
                LinkRow.external_id.is_not(None),
                LinkRow.record_id.in_(list(record_ids)),
            )
        )
    )
    return [record_id for record_id in record_ids if record_id not in linked]


def count_links(session: Session, connection_id: uuid.UUID) -> dict[str, int]:
    rows = session.execute(
        select(LinkRow.entity_type, func.count())
        .where(LinkRow.connection_id == connection_id, LinkRow.external_id.is_not(None))
        .group_by(LinkRow.entity_type)
    )
    return {entity: count for entity, count in rows}


# --- cursors -------------------------------------------------------------------------------


def cursor(session: Session, connection_id: uuid.UUID, entity: SyncedEntity) -> CursorRow | None:
    return session.get(CursorRow, (connection_id, entity.value))


def set_cursor(
    session: Session, connection_id: uuid.UUID, entity: SyncedEntity, position: datetime | None
) -> None:
    """Move the cursor forward to `position` (never back) and note the poll."""
    statement = pg_insert(CursorRow).values(
        connection_id=connection_id, entity_type=entity.value, cursor=position, polled_at=utcnow()
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["connection_id", "entity_type"],
            set_={
                "cursor": func.greatest(CursorRow.cursor, statement.excluded.cursor),
                "polled_at": statement.excluded.polled_at,
            },
        )
    )


# --- conflicts -------------------------------------------------------------------------


def add_conflicts(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    for values in rows:
        session.add(ConflictRow(**values))
    session.flush()


def open_issue_exists(
    session: Session, connection_id: uuid.UUID, external_id: str | None, reason: str
) -> bool:
    query = select(ConflictRow.id).where(
        ConflictRow.connection_id == connection_id,
        ConflictRow.field == "*",
        ConflictRow.status == "open",
        ConflictRow.reason == reason,
    )
    if external_id is not None:
        query = query.where(ConflictRow.external_id == external_id)
    return session.scalar(query.limit(1)) is not None


def held_fields(
    session: Session,
    connection_id: uuid.UUID,
    entity: SyncedEntity,
    record_ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, frozenset[str]]:
    """Fields waiting for a person (open manual conflicts), per record."""
    if not record_ids:
        return {}
    rows = session.execute(
        select(ConflictRow.record_id, ConflictRow.field).where(
            ConflictRow.connection_id == connection_id,
            ConflictRow.entity_type == entity.value,
            ConflictRow.record_id.in_(list(record_ids)),
            ConflictRow.status == "open",
            ConflictRow.rule == "manual",
        )
    )
    held: dict[uuid.UUID, set[str]] = {}
    for record_id, name in rows:
        held.setdefault(record_id, set()).add(name)
    return {record_id: frozenset(names) for record_id, names in held.items()}


def close_agreed(
    session: Session,
    connection_id: uuid.UUID,
    entity: SyncedEntity,
    record_id: uuid.UUID,
    fields: Iterable[str],
) -> None:
    """Open manual conflicts on fields both sides now agree on are settled."""
    names = list(fields)
    if not names:
        return
    session.execute(
        update(ConflictRow)
        .where(
            ConflictRow.connection_id == connection_id,
            ConflictRow.entity_type == entity.value,
            ConflictRow.record_id == record_id,
            ConflictRow.field.in_(names),
            ConflictRow.status == "open",
        )
        .values(status="resolved", resolved_at=utcnow(), resolved_by="both sides agreed")
    )


def conflicts(
    session: Session,
    workspace_id: uuid.UUID,
    *,
    status: str | None,
    limit: int,
    before: tuple[datetime, uuid.UUID] | None = None,
) -> list[tuple[ConflictRow, str]]:
    query = (
        select(ConflictRow, ConnectionRow.connector)
        .join(ConnectionRow, ConnectionRow.id == ConflictRow.connection_id)
        .where(ConflictRow.workspace_id == workspace_id)
        .order_by(ConflictRow.detected_at.desc(), ConflictRow.id.desc())
        .limit(limit)
    )
    if status is not None:
        query = query.where(ConflictRow.status == status)
    if before is not None:
        query = query.where(
            (ConflictRow.detected_at < before[0])
            | ((ConflictRow.detected_at == before[0]) & (ConflictRow.id < before[1]))
        )
    return [(row, connector) for row, connector in session.execute(query).all()]


def conflict(
    session: Session, workspace_id: uuid.UUID, conflict_id: uuid.UUID, *, lock: bool = False
) -> tuple[ConflictRow, str] | None:
    query = (
        select(ConflictRow, ConnectionRow.connector)
        .join(ConnectionRow, ConnectionRow.id == ConflictRow.connection_id)
        .where(ConflictRow.workspace_id == workspace_id, ConflictRow.id == conflict_id)
    )
    if lock:
        query = query.with_for_update(of=ConflictRow)
    found = session.execute(query).first()
    return (found[0], found[1]) if found else None


def count_conflicts(session: Session, connection_id: uuid.UUID) -> tuple[int, int]:
    total, still_open = session.execute(
        select(func.count(), func.count().filter(ConflictRow.status == "open")).where(
            ConflictRow.connection_id == connection_id
        )
    ).one()
    return total, still_open


# --- webhooks and hints ----------------------------------------------------------------------


def take_event(session: Session, connection_id: uuid.UUID, event_id: str, event_type: str) -> bool:
    """True the first time an event id is seen for the connection."""
    inserted = session.execute(
        pg_insert(WebhookEventRow)
        .values(connection_id=connection_id, event_id=event_id, event_type=event_type)
        .on_conflict_do_nothing()
        .returning(WebhookEventRow.event_id)
    ).first()
    return inserted is not None


def add_hint(
    session: Session, connection_id: uuid.UUID, external_id: str, entity: SyncedEntity | None
) -> None:
    session.execute(
        pg_insert(HintRow)
        .values(
            connection_id=connection_id,
            external_id=external_id,
            entity_type=entity.value if entity else None,
        )
        .on_conflict_do_nothing()
    )


def hints(session: Session, connection_id: uuid.UUID, limit: int) -> list[HintRow]:
    return list(
        session.scalars(
            select(HintRow)
            .where(HintRow.connection_id == connection_id)
            .order_by(HintRow.created_at)
            .limit(limit)
        )
    )


def drop_hints(session: Session, connection_id: uuid.UUID, external_ids: Sequence[str]) -> None:
    if external_ids:
        session.execute(
            delete(HintRow).where(
                HintRow.connection_id == connection_id, HintRow.external_id.in_(list(external_ids))
            )
        )
