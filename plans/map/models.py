"""Domain types of the political map (no storage here)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field


class Role(StrEnum):
    DECISION_MAKER = "decision_maker"
    ECONOMIC_BUYER = "economic_buyer"
    INFLUENCER = "influencer"
    CHAMPION = "champion"
    BLOCKER = "blocker"
    USER = "user"
    TECHNICAL_EVALUATOR = "technical_evaluator"


class Stance(StrEnum):
    SUPPORTIVE = "supportive"
    NEUTRAL = "neutral"
    OPPOSED = "opposed"


ROLE_STANCE = {Role.CHAMPION: Stance.SUPPORTIVE, Role.BLOCKER: Stance.OPPOSED}


class MapEdgeType(StrEnum):
    """Person-to-person edges kept in Postgres (the graph adds WORKS_AT and INTERACTS_WITH)."""

    REPORTS_TO = "REPORTS_TO"
    DEFERS_TO = "DEFERS_TO"
    INFLUENCES = "INFLUENCES"
    ALLIED_WITH = "ALLIED_WITH"
    OPPOSES = "OPPOSES"


class EvidenceItem(BaseModel):
    quote: str | None = None
    confidence: float
    said: str | None = None  # what kind of statement (scoring.evidence.Said), if any
    detail: str | None = None
    conversation_id: UUID | None = None
    signal_id: UUID | None = None
    observed_at: datetime | None = None
    source: str = "extraction"  # extraction | agent | import | rep
    against: bool = False  # evidence that the person does NOT hold the role


class Scope(BaseModel):
    """Where a role applies: the whole account, one aspect ("security review"), or one
    opportunity."""

    kind: str = Field(pattern=r"^(account|aspect|opportunity)$", default="account")
    aspect: str | None = Field(default=None, max_length=200)
    opportunity_id: UUID | None = None

    def key(self) -> str:
        if self.kind == "aspect":
            return f"aspect:{(self.aspect or '').strip().lower()}"
        if self.kind == "opportunity":
            return f"opportunity:{self.opportunity_id}"
        return "account"

    @classmethod
    def of_key(cls, key: str) -> Scope:
        kind, _, value = key.partition(":")
        if kind == "aspect":
            return cls(kind="aspect", aspect=value)
        if kind == "opportunity":
            return cls(kind="opportunity", opportunity_id=UUID(value))
        return cls()


class RoleView(BaseModel):
    id: UUID
    role: Role
    scope: Scope
    stance: Stance | None
    confidence: float
    source: str
    evidence: list[EvidenceItem]
    created_by: str | None = None
    reason: str | None = None


class RelationView(BaseModel):
    id: UUID
    type: MapEdgeType
    direction: str  # out | in
    other_id: UUID
    other_name: str
    weight: float
    evidence: list[EvidenceItem]


class ContributionView(BaseModel):
    kind: str
    label: str
    points: float
    quote: str | None = None
    conversation_id: UUID | None = None
    signal_id: UUID | None = None


class ScoreView(BaseModel):
    value: float
    overridden: bool
    override: dict[str, Any] | None = None
    evidence: list[ContributionView]


class StakeholderProfile(BaseModel):
    id: UUID
    account_id: UUID
    full_name: str
    title: str | None
    department: str | None
    seniority: str | None
    emails: list[str]
    reports_to_id: UUID | None
    roles: list[RoleView]
    stance: Stance | None
    scores: dict[str, ScoreView]
    relations: list[RelationView]
    scores_computed_at: datetime | None
    version: int
