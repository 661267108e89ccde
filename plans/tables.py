from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, Timestamped, new_id


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
    __table_args__ = (Index("ix_stakeholders_workspace_account", "workspace_id", "account_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    full_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(100))
    reports_to_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("stakeholders.id", ondelete="SET NULL")
    )
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
