"""The account plan: company profile, relationship history, strategic positioning and
the account's opportunities, kept current after every conversation.

Derived parts are rebuilt from the stores on each refresh (so they can never drift);
evidence-bearing parts (company facts) accumulate; rep-written parts are never touched
by extraction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from core.db import utcnow
from core.outbox.models import Change, EntityType
from core.outbox.service import record_changes
from plans.evidence import ConversationFacts
from plans.extraction.conversation import Participant
from plans.extraction.signals import CompanyFactKind, Side
from plans.opportunities import repository as opportunities
from plans.opportunities.models import CompetitorNote, Opportunity, RepEdit
from plans.revisions import diff

MAX_INTERACTIONS = 200


@dataclass(frozen=True)
class PastConversation:
    """A processed conversation of the account, as its relationship history needs it."""

    id: uuid.UUID
    occurred_at: datetime
    channel: str
    title: str | None
    participants: Sequence[Participant]
    sentiment_score: float | None
    sentiment_label: str | None


class CompanyFactEvidence(BaseModel):
    kind: CompanyFactKind
    value: str
    quote: str
    confidence: float
    conversation_id: uuid.UUID | None = None
    signal_id: uuid.UUID | None = None
    observed_at: datetime


class Profile(BaseModel):
    industry: str | None = None
    size: str | None = None
    tech_stack: list[str] = Field(default_factory=list)
    strategic_initiatives: list[str] = Field(default_factory=list)
    facts: list[CompanyFactEvidence] = Field(default_factory=list)


class Interaction(BaseModel):
    conversation_id: uuid.UUID
    occurred_at: datetime
    channel: str
    title: str | None = None
    sentiment: float | None = None
    sentiment_label: str | None = None
    customer_participants: list[str] = Field(default_factory=list)


class KeyContact(BaseModel):
    name: str
    title: str | None = None
    interactions: int
    last_contact: datetime


class OpportunitySummary(BaseModel):
    id: uuid.UUID
    name: str
    product_line: str
    stage: str
    status: str
    amount: Decimal | None = None
    currency: str | None = None
    close_date: str | None = None
    qualification_known: int = 0
    summary: str | None = None


class Relationship(BaseModel):
    interactions: list[Interaction] = Field(default_factory=list)
    sentiment_trend: list[tuple[str, float]] = Field(default_factory=list)
    wins: list[OpportunitySummary] = Field(default_factory=list)
    losses: list[OpportunitySummary] = Field(default_factory=list)
    key_contacts: list[KeyContact] = Field(default_factory=list)


class Positioning(BaseModel):
    fit: list[str] = Field(default_factory=list, description="product lines in play or sold")
    competitors: list[CompetitorNote] = Field(default_factory=list)
    whitespace: list[str] = Field(default_factory=list, description="lines not yet sold or in play")
    notes: str | None = None


class AccountPlan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    profile: Profile = Field(default_factory=Profile)
    relationship: Relationship = Field(default_factory=Relationship)
    positioning: Positioning = Field(default_factory=Positioning)
    opportunities: list[OpportunitySummary] = Field(default_factory=list)
    strategy: str | None = None
    rep_fields: dict[str, RepEdit] = Field(default_factory=dict)


def refresh_after_conversation(
    session: Session, facts: ConversationFacts, history: Sequence[PastConversation]
) -> list[dict[str, object]]:
    """Update the account plan for `facts`, its relationship rebuilt from `history` (the
    account's processed conversations, oldest first); return the recorded changes."""
    row = opportunities.account_plan_row(session, facts.workspace_id, facts.account_id, lock=True)
    if row is None:
        row = opportunities.add_account_plan(
            session, facts.workspace_id, facts.account_id, AccountPlan().model_dump(mode="json")
        )
        created = True
    else:
        created = False
    before = row.plan
    plan = AccountPlan.model_validate(row.plan)
    _add_company_facts(plan, facts)
    _rebuild_relationship(plan, history)
    _rebuild_opportunities(
        plan,
        [
            opportunities.to_opportunity(deal_row)
            for deal_row in opportunities.for_account(session, facts.workspace_id, facts.account_id)
        ],
        facts,
    )
    after = plan.model_dump(mode="json")
    changes = diff(before, after)
    if changes or created:
        row.plan = after
        if not created:
            row.version += 1
        opportunities.add_revision(
            session,
            workspace_id=facts.workspace_id,
            subject_type="account",
            subject_id=facts.account_id,
            version=row.version,
            action="created" if created else "updated",
            cause="conversation",
            conversation_id=facts.conversation_id,
            signal_ids=facts.ids(*facts.signals.company_facts),
            actor=facts.source,
            reason="conversation processed",
            changes=changes,
        )
        record_changes(
            session,
            [
                Change(
                    facts.workspace_id,
                    EntityType.ACCOUNT_PLAN,
                    facts.account_id,
                    origin=facts.source,
                )
            ],
        )
    session.flush()
    return changes


def _add_company_facts(plan: AccountPlan, facts: ConversationFacts) -> None:
    known = {(f.kind, f.value.casefold()) for f in plan.profile.facts}
    for fact in facts.signals.company_facts:
        if (fact.kind, fact.value.casefold()) in known:
            continue
        known.add((fact.kind, fact.value.casefold()))
        plan.profile.facts.append(
            CompanyFactEvidence(
                kind=fact.kind,
                value=fact.value,
                quote=fact.quote,
                confidence=fact.confidence,
                conversation_id=facts.conversation_id,
                signal_id=facts.signal_id(fact),
                observed_at=facts.occurred_at,
            )
        )
    profile = plan.profile
    for known_fact in profile.facts:
        if (
            known_fact.kind is CompanyFactKind.INDUSTRY
            and "profile.industry" not in plan.rep_fields
        ):
            profile.industry = known_fact.value
        elif known_fact.kind is CompanyFactKind.SIZE and "profile.size" not in plan.rep_fields:
            profile.size = known_fact.value
    profile.tech_stack = _unique(
        f.value for f in profile.facts if f.kind is CompanyFactKind.TECH_STACK
    )
    profile.strategic_initiatives = _unique(
        f.value for f in profile.facts if f.kind is CompanyFactKind.STRATEGIC_INITIATIVE
    )


def _unique(values: object) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:  # type: ignore[attr-defined]
        seen.setdefault(str(value).casefold(), str(value))
    return list(seen.values())


def _rebuild_relationship(plan: AccountPlan, history: Sequence[PastConversation]) -> None:
    interactions = []
    contacts: dict[str, KeyContact] = {}
    for conversation in history:
        customers = [p.name for p in conversation.participants if p.side is Side.CUSTOMER]
        interactions.append(
            Interaction(
                conversation_id=conversation.id,
                occurred_at=conversation.occurred_at,
                channel=conversation.channel,
                title=conversation.title,
                sentiment=conversation.sentiment_score,
                sentiment_label=conversation.sentiment_label,
                customer_participants=customers,
            )
        )
        titles = {p.name: p.title for p in conversation.participants}
        for name in customers:
            contact = contacts.get(name)
            contacts[name] = KeyContact(
                name=name,
                title=titles.get(name) or (contact.title if contact else None),
                interactions=(contact.interactions if contact else 0) + 1,
                last_contact=conversation.occurred_at,
            )
    plan.relationship.interactions = interactions[-MAX_INTERACTIONS:]
    plan.relationship.sentiment_trend = [
        (i.occurred_at.date().isoformat(), i.sentiment)
        for i in interactions
        if i.sentiment is not None
    ]
    plan.relationship.key_contacts = sorted(
        contacts.values(), key=lambda c: (-c.interactions, c.name)
    )[:20]


def _summary(deal: Opportunity) -> OpportunitySummary:
    known = sum(1 for state in deal.plan.qualification.values() if state.status != "unknown")
    return OpportunitySummary(
        id=deal.id,
        name=deal.name,
        product_line=deal.product_line,
        stage=deal.stage,
        status=str(deal.status),
        amount=deal.amount,
        currency=deal.currency,
        close_date=deal.close_date.isoformat() if deal.close_date else None,
        qualification_known=known,
        summary=deal.plan.summary,
    )


def _rebuild_opportunities(
    plan: AccountPlan, rows: list[Opportunity], facts: ConversationFacts
) -> None:
    plan.opportunities = [_summary(r) for r in rows if r.status == "open"]
    plan.relationship.wins = [_summary(r) for r in rows if r.status == "won"]
    plan.relationship.losses = [_summary(r) for r in rows if r.status == "lost"]
    in_play = {r.product_line for r in rows if r.status in ("open", "won")}
    names = {line.key: line.name for line in facts.catalogue.product_lines}
    plan.positioning.fit = [names.get(key, key) for key in sorted(in_play)]
    plan.positioning.whitespace = [
        line.name for line in facts.catalogue.product_lines if line.key not in in_play
    ]
    competitors = {c.name.casefold(): c for c in plan.positioning.competitors}
    for competitor in facts.signals.competitors:
        competitors[competitor.name.casefold()] = CompetitorNote(
            name=competitor.name,
            stance=competitor.stance,
            last_seen=facts.occurred_at,
            quote=competitor.quote,
        )
    plan.positioning.competitors = sorted(competitors.values(), key=lambda c: c.name.casefold())


class AccountPlanEdit(BaseModel):
    """What a rep writes in the account plan; only the fields present change."""

    model_config = ConfigDict(extra="forbid")

    strategy: str | None = Field(default=None, max_length=20_000)
    positioning_notes: str | None = Field(default=None, max_length=20_000)
    industry: str | None = Field(default=None, max_length=100)
    size: str | None = Field(default=None, max_length=100)
    reason: str = Field(min_length=3, max_length=1000)


def get_plan(
    session: Session, workspace_id: uuid.UUID, account_id: uuid.UUID
) -> tuple[AccountPlan, int]:
    row = opportunities.account_plan_row(session, workspace_id, account_id)
    if row is None:
        return AccountPlan(), 0
    return AccountPlan.model_validate(row.plan), row.version


def edit_plan(
    session: Session,
    workspace_id: uuid.UUID,
    account_id: uuid.UUID,
    edit: AccountPlanEdit,
    actor: str,
) -> tuple[AccountPlan, int]:
    row = opportunities.account_plan_row(session, workspace_id, account_id, lock=True)
    if row is None:
        row = opportunities.add_account_plan(
            session, workspace_id, account_id, AccountPlan().model_dump(mode="json")
        )
    before = row.plan
    plan = AccountPlan.model_validate(row.plan)
    stamp = RepEdit(by=actor, at=utcnow(), reason=edit.reason)
    present = edit.model_fields_set - {"reason"}
    if "strategy" in present:
        plan.strategy = edit.strategy
        plan.rep_fields["strategy"] = stamp
    if "positioning_notes" in present:
        plan.positioning.notes = edit.positioning_notes
        plan.rep_fields["positioning.notes"] = stamp
    if "industry" in present:
        plan.profile.industry = edit.industry
        plan.rep_fields["profile.industry"] = stamp
    if "size" in present:
        plan.profile.size = edit.size
        plan.rep_fields["profile.size"] = stamp
    after = plan.model_dump(mode="json")
    changes = diff(before, after)
    if changes:
        row.plan = after
        row.version += 1
        opportunities.add_revision(
            session,
            workspace_id=workspace_id,
            subject_type="account",
            subject_id=account_id,
            version=row.version,
            action="rep_edit",
            cause="rep",
            actor=actor,
            reason=edit.reason,
            changes=changes,
        )
        record_changes(
            session, [Change(workspace_id, EntityType.ACCOUNT_PLAN, account_id, origin="rep")]
        )
    session.flush()
    return plan, row.version
