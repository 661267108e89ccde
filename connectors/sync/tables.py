from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, new_id, utcnow


class ConnectionRow(Base):
    """One workspace's link to one CRM: the mapping, secrets and health of the sync."""

    __tablename__ = "crm_connections"
    __table_args__ = (UniqueConstraint("workspace_id", "connector"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    connector: Mapped[str] = mapped_column(String(64))
    mapping: Mapped[dict[str, Any]] = mapped_column(JSONB)
    # Integration token and webhook verification token. Whoever can read this table can
    # act as the integration: restrict database access accordingly.
    secrets: Mapped[dict[str, str]] = mapped_column(JSONB, default=dict)
    options: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    enabled: Mapped[bool] = mapped_column(default=True)
    # Record types whose mapping no longer fits the CRM's schema: {entity: [problems]}.
    paused: Mapped[dict[str, list[str]]] = mapped_column(JSONB, default=dict)
    check_mapping: Mapped[bool] = mapped_column(default=True)  # re-read schemas next run
    calls: Mapped[dict[str, int]] = mapped_column(JSONB, default=dict)
    last_success_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None]
    last_reconcile_at: Mapped[datetime | None]
    # The schedule every worker process shares: the last poll (or reconcile) and, after
    # failed runs, how many in a row and when the connection may be tried again.
    last_poll_at: Mapped[datetime | None]
    failures_in_a_row: Mapped[int] = mapped_column(default=0, server_default="0")
    rest_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LinkRow(Base):
    """Our record <-> the CRM's record, with the shadow: each field's last agreed value,
    as the CRM stores it."""

    __tablename__ = "sync_links"
    __table_args__ = (UniqueConstraint("connection_id", "external_id"),)

    connection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("crm_connections.id", ondelete="CASCADE"), primary_key=True
    )
    entity_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(100))
    shadow: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    # What we last wrote to a field whose echo came back different: our value still
    # counts as agreed, so a CRM that rewrites a value is not written again and again.
    sent: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    stamped: Mapped[bool] = mapped_column(default=True)  # our record id is in the CRM record
    remote_hash: Mapped[str | None] = mapped_column(String(64))  # of the last remote state seen
    remote_edited_at: Mapped[datetime | None]
    remote_trashed: Mapped[bool] = mapped_column(default=False)
    # Set before a create is sent, cleared when its page is known: a crash in between
    # leaves it set, and the next push looks the page up by our id before creating.
    create_started_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CursorRow(Base):
    """How far the poll of one record type has read the CRM's edits."""

    __tablename__ = "sync_cursors"

    connection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("crm_connections.id", ondelete="CASCADE"), primary_key=True
    )
    entity_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    cursor: Mapped[datetime | None]
    polled_at: Mapped[datetime | None]


class ConflictRow(Base):
    """Both sides changed one field differently: what each had, and what was decided."""

    __tablename__ = "sync_conflicts"
    __table_args__ = (
        Index("ix_sync_conflicts_open", "connection_id", "status", "detected_at"),
        Index("ix_sync_conflicts_record", "connection_id", "entity_type", "record_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    connection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("crm_connections.id", ondelete="CASCADE")
    )
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    entity_type: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[uuid.UUID]
    external_id: Mapped[str | None] = mapped_column(String(100))
    field: Mapped[str] = mapped_column(String(64))
    local_value: Mapped[Any] = mapped_column(JSONB, nullable=True)
    remote_value: Mapped[Any] = mapped_column(JSONB, nullable=True)
    shadow_value: Mapped[Any] = mapped_column(JSONB, nullable=True)
    rule: Mapped[str] = mapped_column(String(32))
    winner: Mapped[str | None] = mapped_column(String(16))  # postgres | crm; None while open
    status: Mapped[str] = mapped_column(String(16))  # resolved | open
    reason: Mapped[str] = mapped_column(Text)
    remote_edited_by: Mapped[str | None] = mapped_column(String(100))
    detected_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(200))


class WebhookEventRow(Base):
    """Webhook events already taken, so a redelivery is not taken twice."""

    __tablename__ = "sync_webhook_events"

    connection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("crm_connections.id", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class HintRow(Base):
    """A CRM record a webhook said changed: fetched and merged at the next run."""

    __tablename__ = "sync_hints"

    connection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("crm_connections.id", ondelete="CASCADE"), primary_key=True
    )
    external_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    entity_type: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
