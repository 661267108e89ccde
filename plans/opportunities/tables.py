from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, Numeric, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, Timestamped, new_id


class OpportunityRow(Timestamped, Base):
    __tablename__ = "opportunities"
    __table_args__ = (
        Index("ix_opportunities_workspace_account", "workspace_id", "account_id", "status"),
        Index("ix_opportunities_workspace_created", "workspace_id", "created_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(300))
    product_line: Mapped[str] = mapped_column(String(100))
    stage: Mapped[str] = mapped_column(String(50))
    stage_locked: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(10), default="open")
    amount: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    close_date: Mapped[date | None]
    probability: Mapped[float] = mapped_column(default=0.0)
    plan: Mapped[dict[str, Any]] = mapped_column(JSONB)
    version: Mapped[int] = mapped_column(default=1)
    closed_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
