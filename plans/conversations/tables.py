from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, new_id, utcnow


class ConversationRow(Base):
    """The raw conversation, stored before anything else happens to it."""

    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("workspace_id", "external_id"),
        Index("ix_conversations_account_occurred", "workspace_id", "account_id", "occurred_at"),
        Index("ix_conversations_pending", "status", postgresql_where=text("status = 'stored'")),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(200))
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    occurred_at: Mapped[datetime]
    channel: Mapped[str] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(String(300))
    participants: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    turns: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB)
    text: Mapped[str | None] = mapped_column(Text)
    agent_signals: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    content_hash: Mapped[str] = mapped_column(String(64))
    # stored -> processed | failed
    status: Mapped[str] = mapped_column(String(20), default="stored")
    extractor: Mapped[str | None] = mapped_column(String(40))
    extraction_note: Mapped[str | None] = mapped_column(Text)
    input_tokens: Mapped[int | None]
    output_tokens: Mapped[int | None]
    cache_read_tokens: Mapped[int | None]
    cache_write_tokens: Mapped[int | None]
    cost_usd: Mapped[Decimal | None] = mapped_column(Numeric(12, 6))
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None]


class SignalRow(Base):
    """One extracted signal with its quote and confidence (the unit of evidence)."""

    __tablename__ = "signals"
    __table_args__ = (Index("ix_signals_conversation", "conversation_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    quote: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float]
    source: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
