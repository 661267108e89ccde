"""All SQL of the outbox: enqueue in the writer's transaction, claim, complete, fail."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta
from uuid import UUID

from sqlalchemy import ColumnElement, func, insert, select, update
from sqlalchemy.orm import Session

from core.db import utcnow
from core.outbox.models import Backlog, Change, EntityType, Operation, PendingChange
from core.outbox.tables import OutboxRow


def enqueue(session: Session, changes: Sequence[Change], consumers: Sequence[str]) -> None:
    """Add one row per change and consumer, in the caller's transaction."""
    rows = [
        {
            "workspace_id": change.workspace_id,
            "consumer": consumer,
            "entity_type": str(change.entity_type),
            "entity_id": change.entity_id,
            "operation": str(change.operation),
            "changed_fields": change.changed_fields,
            "origin": change.origin,
            "payload": change.payload,
        }
        for change in changes
        for consumer in consumers
    ]
    if rows:
        session.execute(insert(OutboxRow), rows)


def _due(consumer: str) -> list[ColumnElement[bool]]:
    return [
        OutboxRow.consumer == consumer,
        OutboxRow.processed_at.is_(None),
        OutboxRow.available_at <= func.now(),
    ]


def claim(
    session: Session,
    consumer: str,
    limit: int,
    *,
    workspace_id: UUID | None = None,
    entity_id: UUID | None = None,
) -> list[PendingChange]:
    """Lock up to `limit` due rows of `consumer` (of one workspace, or one record, if
    given), oldest first, skipping rows other workers hold. The lock lasts until the
    caller's transaction ends."""
    query = select(OutboxRow).where(*_due(consumer))
    if workspace_id is not None:
        query = query.where(OutboxRow.workspace_id == workspace_id)
    if entity_id is not None:
        query = query.where(OutboxRow.entity_id == entity_id)
    rows = session.scalars(
        query.order_by(OutboxRow.id).limit(limit).with_for_update(skip_locked=True)
    ).all()
    return [
        PendingChange(
            id=row.id,
            workspace_id=row.workspace_id,
            consumer=row.consumer,
            entity_type=EntityType(row.entity_type),
            entity_id=row.entity_id,
            operation=Operation(row.operation),
            changed_fields=list(row.changed_fields),
            origin=row.origin,
            payload=dict(row.payload),
            attempts=row.attempts,
            created_at=row.created_at,
        )
        for row in rows
    ]


def due_records(session: Session, consumer: str, limit: int) -> list[tuple[UUID, UUID]]:
    """(workspace, record) of up to `limit` records with due rows of `consumer`, the one
    waiting longest first. Nothing is locked: claim a record's rows to work on them."""
    rows = session.execute(
        select(OutboxRow.workspace_id, OutboxRow.entity_id)
        .where(*_due(consumer))
        .group_by(OutboxRow.workspace_id, OutboxRow.entity_id)
        .order_by(func.min(OutboxRow.id))
        .limit(limit)
    )
    return [(workspace_id, entity_id) for workspace_id, entity_id in rows]


def mark_done(session: Session, ids: Sequence[int]) -> None:
    session.execute(
        update(OutboxRow)
        .where(OutboxRow.id.in_(ids))
        .values(processed_at=utcnow(), last_error=None)
    )


def mark_failed(
    session: Session, ids: Sequence[int], error: str, attempts: int, max_delay_seconds: float = 60.0
) -> None:
    """Record the failure and hold the rows back with jittered exponential backoff, so
    several workers do not all retry at the same instant."""
    delay = min(max_delay_seconds, 0.5 * 2 ** min(attempts, 10)) * random.uniform(0.5, 1.0)
    session.execute(
        update(OutboxRow)
        .where(OutboxRow.id.in_(ids))
        .values(
            attempts=OutboxRow.attempts + 1,
            last_error=error[:2000],
            available_at=utcnow() + timedelta(seconds=delay),
        )
    )


def backlog(session: Session, consumer: str, *, workspace_id: UUID | None = None) -> Backlog:
    mine = [OutboxRow.consumer == consumer]
    if workspace_id is not None:
        mine.append(OutboxRow.workspace_id == workspace_id)
    pending = select(OutboxRow).where(*mine, OutboxRow.processed_at.is_(None)).subquery()
    count, failing, oldest = session.execute(
        select(
            func.count(),
            func.count().filter(pending.c.attempts > 0),
            func.min(pending.c.created_at),
        ).select_from(pending)
    ).one()
    last_processed = session.scalar(select(func.max(OutboxRow.processed_at)).where(*mine))
    last_error = session.scalar(
        select(OutboxRow.last_error)
        .where(*mine, OutboxRow.last_error.is_not(None))
        .order_by(OutboxRow.id.desc())
        .limit(1)
    )
    return Backlog(consumer, count, failing, oldest, last_processed, last_error)
