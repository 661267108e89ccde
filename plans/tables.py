from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, Timestamped, new_id, utcnow


class AccountRow(Timestamped, Base):
    __tablename__ = "accounts"
    __table_args__ = (
        # One live account per domain in a workspace.
        Index(
            "uq_accounts_workspace_domain",
            "workspace_id",
            func.lower(text("domain")),
            unique=True,
            postgresql_where=text("domain IS NOT NULL AND deleted_at IS NULL"),
        ),
        Index("ix_accounts_workspace_created", "workspace_id", "created_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    domain: Mapped[str | None] = mapped_column(String(253))
    industry: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    deleted_at: Mapped[datetime | None]


class StakeholderRow(Timestamped, Base):
    """A person at a customer account: identity only; roles and scores live elsewhere."""

    __tablename__ = "stakeholders"
    __table_args__ = (
        Index("ix_stakeholders_workspace_account", "workspace_id", "account_id"),
        Index(
            "uq_stakeholders_account_external_ref",
            "account_id",
            "external_ref",
            unique=True,
            postgresql_where=text("external_ref IS NOT NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    full_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(100))
    reports_to_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("stakeholders.id", ondelete="SET NULL")
    )
    seniority: Mapped[str | None] = mapped_column(String(30))
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("stakeholders.id", ondelete="SET NULL")
    )
    external_ref: Mapped[str | None] = mapped_column(String(200))  # id in an imported org chart
    version: Mapped[int] = mapped_column(default=1)
    deleted_at: Mapped[datetime | None]


class StakeholderEmailRow(Base):
    """Emails are unique per workspace: the first key for matching a person."""

    __tablename__ = "stakeholder_emails"

    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    email: Mapped[str] = mapped_column(String(320), primary_key=True)  # lower-cased
    stakeholder_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("stakeholders.id", ondelete="CASCADE"), index=True
    )


class AccountPlanRow(Base):
    __tablename__ = "account_plans"

    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    plan: Mapped[dict[str, Any]] = mapped_column(JSONB)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PlanRevisionRow(Base):
    """One change of an account plan or an opportunity (core fields, stage or plan):
    what changed, and which conversation, signals or rep caused it."""

    __tablename__ = "plan_revisions"
    __table_args__ = (Index("ix_plan_revisions_subject", "subject_type", "subject_id", "version"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    subject_type: Mapped[str] = mapped_column(String(20))  # account | opportunity
    subject_id: Mapped[uuid.UUID]
    version: Mapped[int]
    action: Mapped[str] = mapped_column(String(30))  # created | updated | stage_changed | rep_edit
    cause: Mapped[str] = mapped_column(String(20))  # conversation | rep | system
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL")
    )
    signal_ids: Mapped[list[str]] = mapped_column(JSONB, default=list)
    actor: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
