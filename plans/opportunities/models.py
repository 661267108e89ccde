"""Opportunities and their plans (domain types; no storage)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from plans.extraction.signals import Element
from plans.opportunities.qualification import ElementState, empty_qualification


class OpportunityStatus(StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class FieldEvidence(BaseModel):
    """Why a core field has its value."""

    value: str
    quote: str | None = None
    confidence: float | None = None
    conversation_id: UUID | None = None
    signal_id: UUID | None = None
    source: str = "extraction"  # extraction | agent | rep
    observed_at: datetime


class ActionItem(BaseModel):
    id: UUID
    action: str
    owner: str | None = None
    due: date | None = None
    status: str = "open"  # open | done
    quote: str | None = None
    conversation_id: UUID | None = None
    source: str = "extraction"
    created_at: datetime
    deleted_at: datetime | None = None  # removed by a rep (here or in the CRM); kept for history


class PlanStakeholder(BaseModel):
    """A person of the political map, with their roles for this deal."""

    stakeholder_id: UUID | None = None
    name: str
    title: str | None = None
    roles: list[str] = Field(default_factory=list)
    stance: str | None = None  # supportive | opposed | neutral
    evidence: list[str] = Field(default_factory=list)


class CompetitorNote(BaseModel):
    name: str
    stance: str
    last_seen: datetime
    quote: str


class RepEdit(BaseModel):
    by: str
    at: datetime
    reason: str | None = None


class OpportunityPlan(BaseModel):
    """Everything about one deal, standing alone."""

    model_config = ConfigDict(extra="forbid")

    summary: str | None = None
    core_evidence: dict[str, list[FieldEvidence]] = Field(default_factory=dict)
    qualification: dict[Element, ElementState] = Field(default_factory=empty_qualification)
    stakeholders: list[PlanStakeholder] = Field(default_factory=list)
    action_items: list[ActionItem] = Field(default_factory=list)
    competitors: list[CompetitorNote] = Field(default_factory=list)
    notes: str | None = None
    rep_fields: dict[str, RepEdit] = Field(
        default_factory=dict, description="Fields a rep set; extraction adds evidence only."
    )


class Opportunity(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: UUID
    workspace_id: UUID
    account_id: UUID
    name: str
    product_line: str
    stage: str
    stage_locked: bool
    status: OpportunityStatus
    amount: Decimal | None
    currency: str | None
    close_date: date | None
    probability: float
    plan: OpportunityPlan
    version: int
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    deleted_at: datetime | None = None
