"""Domain types of accounts and stakeholders (no storage here)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class Account(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: UUID
    workspace_id: UUID
    name: str
    domain: str | None
    industry: str | None
    description: str | None
    version: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None


class Stakeholder(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: UUID
    workspace_id: UUID
    account_id: UUID
    full_name: str
    title: str | None
    department: str | None
    reports_to_id: UUID | None
    emails: tuple[str, ...]
    seniority: str | None = None
    merged_into_id: UUID | None = None
    external_ref: str | None = None
    version: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None
