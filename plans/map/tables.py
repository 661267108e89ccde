from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, new_id, utcnow


class OurPersonRow(Base):
    """Someone on our side (a rep, an SE, an executive sponsor)."""

    __tablename__ = "our_people"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(320))  # lower-cased email, else "name:<folded name>"
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    title: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InteractionRow(Base):
    """A stakeholder's part in one conversation (with which of our people)."""

    __tablename__ = "interactions"
    __table_args__ = (
        UniqueConstraint("conversation_id", "stakeholder_id"),
        Index("ix_interactions_account", "workspace_id", "account_id"),
        Index("ix_interactions_stakeholder", "stakeholder_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE")
    )
    stakeholder_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("stakeholders.id", ondelete="CASCADE")
    )
    our_people: Mapped[list[str]] = mapped_column(JSONB, default=list)  # our_people ids present
    occurred_at: Mapped[datetime]
    channel: Mapped[str] = mapped_column(String(20))
    participated: Mapped[bool]  # a participant, not only mentioned
    spoke: Mapped[bool]  # said or wrote something
    words: Mapped[int] = mapped_column(default=0)
    trust: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, default=list
    )  # trust indicators shown


class RelationRow(Base):
    """A typed, weighted, evidenced edge between two stakeholders."""

    __tablename__ = "stakeholder_relations"
    __table_args__ = (
        UniqueConstraint("source_id", "target_id", "type"),
        Index("ix_relations_account", "workspace_id", "account_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    source_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stakeholders.id", ondelete="CASCADE"))
    target_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stakeholders.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(30))
    weight: Mapped[float]
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    source: Mapped[str] = mapped_column(
        String(30), default="extraction"
    )  # extraction | import | rep
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class RoleRow(Base):
    """A role of a stakeholder, for the account, one aspect, or one opportunity."""

    __tablename__ = "stakeholder_roles"
    __table_args__ = (
        UniqueConstraint("stakeholder_id", "role", "scope"),
        Index("ix_roles_workspace", "workspace_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    stakeholder_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("stakeholders.id", ondelete="CASCADE")
    )
    role: Mapped[str] = mapped_column(String(30))
    # "account", "aspect:<text>" or "opportunity:<uuid>"
    scope: Mapped[str] = mapped_column(String(300), default="account")
    stance: Mapped[str | None] = mapped_column(String(20))
    confidence: Mapped[float]
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    source: Mapped[str] = mapped_column(String(20), default="extraction")  # extraction | rep
    created_by: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    removed_at: Mapped[datetime | None]
    removed_by: Mapped[str | None] = mapped_column(String(200))
    removal_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ScoreOverrideRow(Base):
    """A rep's value for a score: wins until cleared; kept for the audit trail."""

    __tablename__ = "score_overrides"
    __table_args__ = (Index("ix_overrides_stakeholder", "stakeholder_id", "score"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    stakeholder_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("stakeholders.id", ondelete="CASCADE")
    )
    score: Mapped[str] = mapped_column(String(30))
    value: Mapped[float]
    previous_value: Mapped[float | None]
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cleared_at: Mapped[datetime | None]
    cleared_by: Mapped[str | None] = mapped_column(String(200))
    clear_reason: Mapped[str | None] = mapped_column(Text)


class ScoreRow(Base):
    """The three computed scores of a stakeholder with their contributions."""

    __tablename__ = "stakeholder_scores"

    stakeholder_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("stakeholders.id", ondelete="CASCADE"), primary_key=True
    )
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    decision_power: Mapped[float]
    influence: Mapped[float]
    relationship_strength: Mapped[float]
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONB)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
