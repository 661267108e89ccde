"""All SQL of conversations and signals."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from core.db import utcnow
from core.pagination import Position
from plans.conversations.tables import ConversationRow, SignalRow


def insert_if_new(session: Session, values: dict[str, Any]) -> ConversationRow:
    """Insert unless (workspace, external_id) exists; return the stored row either way."""
    session.execute(
        insert(ConversationRow)
        .values(id=uuid.uuid4(), created_at=utcnow(), status="stored", **values)
        .on_conflict_do_nothing(index_elements=["workspace_id", "external_id"])
    )
    row = by_external_id(session, values["workspace_id"], values["external_id"])
    assert row is not None
    return row


def by_external_id(
    session: Session, workspace_id: uuid.UUID, external_id: str
) -> ConversationRow | None:
    return session.scalar(
        select(ConversationRow).where(
            ConversationRow.workspace_id == workspace_id,
            ConversationRow.external_id == external_id,
        )
    )


def existing_external_ids(
    session: Session, workspace_id: uuid.UUID, ids: Sequence[str]
) -> set[str]:
    rows = session.scalars(
        select(ConversationRow.external_id).where(
            ConversationRow.workspace_id == workspace_id,
            ConversationRow.external_id.in_(ids),
            ConversationRow.status == "processed",
        )
    )
    return set(rows)


def get(
    session: Session, workspace_id: uuid.UUID, conversation_id: uuid.UUID, *, lock: bool = False
) -> ConversationRow | None:
    query = select(ConversationRow).where(
        ConversationRow.workspace_id == workspace_id, ConversationRow.id == conversation_id
    )
    return session.scalar(query.with_for_update() if lock else query)


def list_conversations(
    session: Session,
    workspace_id: uuid.UUID,
    *,
    limit: int,
    after: Position | None = None,
    account_id: uuid.UUID | None = None,
    status: str | None = None,
) -> list[ConversationRow]:
    query: Select[ConversationRow] = select(ConversationRow).where(
        ConversationRow.workspace_id == workspace_id
    )
    if account_id is not None:
        query = query.where(ConversationRow.account_id == account_id)
    if status is not None:
        query = query.where(ConversationRow.status == status)
    if after is not None:
        query = query.where(
            tuple_(ConversationRow.created_at, ConversationRow.id) > (after.created_at, after.id)
        )
    return list(
        session.scalars(query.order_by(ConversationRow.created_at, ConversationRow.id).limit(limit))
    )


def account_conversations(
    session: Session, workspace_id: uuid.UUID, account_id: uuid.UUID
) -> list[ConversationRow]:
    return list(
        session.scalars(
            select(ConversationRow)
            .where(
                ConversationRow.workspace_id == workspace_id,
                ConversationRow.account_id == account_id,
                ConversationRow.status == "processed",
            )
            .order_by(ConversationRow.occurred_at)
        )
    )


def stale_stored(
    session: Session,
    older_than: datetime,
    limit: int,
    *,
    skipping: Collection[uuid.UUID] = (),
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(workspace, conversation) ids stored before `older_than` and never processed (a
    failure or a crash between the steps), oldest first, but for those in `skipping`."""
    query = select(ConversationRow.workspace_id, ConversationRow.id).where(
        ConversationRow.status == "stored", ConversationRow.created_at < older_than
    )
    if skipping:
        query = query.where(ConversationRow.id.not_in(skipping))
    rows = session.execute(query.order_by(ConversationRow.created_at).limit(limit))
    return [(w, c) for w, c in rows]


def add_signals(session: Session, rows: Sequence[SignalRow]) -> None:
    session.add_all(rows)
    session.flush()


def signals_of(session: Session, conversation_id: uuid.UUID) -> list[SignalRow]:
    return list(
        session.scalars(
            select(SignalRow)
            .where(SignalRow.conversation_id == conversation_id)
            .order_by(SignalRow.kind, SignalRow.id)
        )
    )


def count_by_status(session: Session, workspace_id: uuid.UUID) -> dict[str, int]:
    rows = session.execute(
        select(ConversationRow.status, func.count())
        .where(ConversationRow.workspace_id == workspace_id)
        .group_by(ConversationRow.status)
    )
    return {status: count for status, count in rows}
