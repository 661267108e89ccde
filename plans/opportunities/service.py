"""Applying a conversation to opportunities: create or update them by the detection
decisions, add the conversation's evidence to their plans, advance stages, and record a
revision (with the conversation and signals that caused it) for every change."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from core.outbox.models import Change, EntityType
from core.outbox.service import record_changes
from plans.evidence import ConversationFacts
from plans.extraction.signals import Outcome, Polarity, RelationType
from plans.opportunities import repository
from plans.opportunities.detection import Action, Decision
from plans.opportunities.models import (
    ActionItem,
    CompetitorNote,
    FieldEvidence,
    Opportunity,
    OpportunityPlan,
    OpportunityStatus,
    PlanStakeholder,
)
from plans.opportunities.pipeline import PipelineConfig
from plans.opportunities.qualification import ElementEvidence
from plans.opportunities.stages import CLOSED_LOST, CLOSED_WON, StageStep, advance
from plans.opportunities.tables import OpportunityRow
from plans.revisions import diff
from plans.stakeholders import Resolution

CORE_FIELDS = ("name", "stage", "status", "amount", "currency", "close_date", "probability")


@dataclass
class OpportunityOutcome:
    opportunity: Opportunity
    action: Action
    reason: str
    changed_fields: list[str] = field(default_factory=list)
    stage_steps: list[StageStep] = field(default_factory=list)


def apply_conversation(
    session: Session,
    facts: ConversationFacts,
    decisions: list[Decision],
    config: PipelineConfig,
    people: Resolution,
) -> list[OpportunityOutcome]:
    outcomes = []
    for decision in decisions:
        if decision.action is Action.CREATE:
            row = _create(session, facts, decision, config)
        else:
            assert decision.opportunity_id is not None
            found = repository.get_row(
                session, facts.workspace_id, decision.opportunity_id, lock=True
            )
            if found is None:
                continue
            row = found
        outcomes.append(_update(session, facts, decision, config, people, row))
    return outcomes


def _create(
    session: Session, facts: ConversationFacts, decision: Decision, config: PipelineConfig
) -> OpportunityRow:
    line = facts.catalogue.line(decision.product_line)
    product = line.name if line else decision.product_line
    name = f"{facts.account_name} - {product}"
    siblings = [
        o
        for o in repository.for_account(session, facts.workspace_id, facts.account_id)
        if o.product_line == decision.product_line
    ]
    if siblings and decision.close_date:
        name += f" ({decision.close_date.date.isoformat()[:7]})"
    row = repository.add(
        session,
        OpportunityRow(
            workspace_id=facts.workspace_id,
            account_id=facts.account_id,
            name=name,
            product_line=decision.product_line,
            stage=config.stage_model.first,
            status="open",
            probability=config.stage_model.probability(config.stage_model.first),
            plan=OpportunityPlan().model_dump(mode="json"),
            version=1,
        ),
    )
    deal = facts.signals.deal
    product_signals = [p for p in facts.signals.products if p.product_line == decision.product_line]
    repository.add_revision(
        session,
        workspace_id=facts.workspace_id,
        subject_type="opportunity",
        subject_id=row.id,
        version=1,
        action="created",
        cause="conversation",
        conversation_id=facts.conversation_id,
        signal_ids=facts.ids(deal, *product_signals),
        actor=facts.source,
        reason=decision.reason,
        changes=[
            {"path": "product_line", "new": decision.product_line},
            {"path": "stage", "new": row.stage},
        ],
    )
    return row


def _update(
    session: Session,
    facts: ConversationFacts,
    decision: Decision,
    config: PipelineConfig,
    people: Resolution,
    row: OpportunityRow,
) -> OpportunityOutcome:
    before = _snapshot(row)
    plan = OpportunityPlan.model_validate(row.plan)
    used_signals = _take_amount_and_close_date(row, plan, decision, facts)
    used_signals += _add_evidence(plan, facts, people)
    steps, closing_signals = _move_stage(row, plan, decision, facts, config)
    row.probability = config.stage_model.probability(row.stage)
    row.plan = plan.model_dump(mode="json")
    changes = diff(before, _snapshot(row))
    signal_ids = sorted(set(used_signals + closing_signals))
    _add_revisions(session, facts, decision, row, changes, steps, signal_ids)
    session.flush()
    changed_fields = sorted({c["path"].split(".")[0] for c in changes})
    _record_change(session, facts, row, changed_fields)
    return OpportunityOutcome(
        repository.to_opportunity(row), decision.action, decision.reason, changed_fields, steps
    )


def _take_amount_and_close_date(
    row: OpportunityRow, plan: OpportunityPlan, decision: Decision, facts: ConversationFacts
) -> list[str]:
    """Add the decision's amount and close date to the plan's evidence and set them on the
    deal unless a rep owns the field; returns the signal ids used."""
    used: list[str] = []
    if decision.amount is not None:
        amount = decision.amount
        _add_core_evidence(plan, "amount", f"{amount.value} {amount.currency}", facts, amount)
        if "amount" not in plan.rep_fields:
            row.amount, row.currency = amount.value, amount.currency
        used += facts.ids(amount)
    if decision.close_date is not None:
        close = decision.close_date
        _add_core_evidence(plan, "close_date", close.date.isoformat(), facts, close)
        if "close_date" not in plan.rep_fields:
            row.close_date = close.date
        used += facts.ids(close)
    return used


def _add_evidence(plan: OpportunityPlan, facts: ConversationFacts, people: Resolution) -> list[str]:
    """The conversation's qualification, action items, competitors and stakeholders, and a
    summary if the plan has none; returns the signal ids used."""
    used = _add_qualification(plan, facts)
    used += _add_action_items(plan, facts)
    used += _add_competitors(plan, facts)
    _refresh_stakeholders(plan, facts, people)
    if facts.signals.deal and plan.summary is None:
        plan.summary = "; ".join(facts.signals.deal.reasons[:3]) or None
    return used


def _move_stage(
    row: OpportunityRow,
    plan: OpportunityPlan,
    decision: Decision,
    facts: ConversationFacts,
    config: PipelineConfig,
) -> tuple[list[StageStep], list[str]]:
    """Move an open deal whose stage no rep has locked: to closed won or lost on an
    explicit outcome, else as far forward as its qualification allows. Returns the steps
    taken and the signal ids of the outcome that closed it."""
    if row.status != "open" or row.stage_locked:
        return [], []
    if decision.outcome is not None:
        return [_close(row, decision.outcome, facts)], facts.ids(decision.outcome)
    steps = advance(row.stage, plan.qualification, config.stage_model)
    if steps:
        row.stage = steps[-1].to_stage
    return steps, []


def _close(row: OpportunityRow, outcome: Outcome, facts: ConversationFacts) -> StageStep:
    """Close the deal won or lost as the outcome says; returns the step to the closed stage."""
    closed = CLOSED_WON if outcome.kind == "won" else CLOSED_LOST
    step = StageStep(row.stage, closed, f"explicit outcome: {outcome.quote}")
    row.stage = closed
    row.status = OpportunityStatus.WON if closed == CLOSED_WON else OpportunityStatus.LOST
    row.closed_at = facts.occurred_at
    return step


def _add_revisions(
    session: Session,
    facts: ConversationFacts,
    decision: Decision,
    row: OpportunityRow,
    changes: list[dict[str, Any]],
    steps: list[StageStep],
    signal_ids: list[str],
) -> None:
    """One revision for an updated deal's changes besides its stage (a created deal has
    its creation revision), then one per stage step, each a version of its own."""

    def add_revision(action: str, reason: str, revision_changes: list[dict[str, Any]]) -> None:
        row.version += 1
        repository.add_revision(
            session,
            workspace_id=facts.workspace_id,
            subject_type="opportunity",
            subject_id=row.id,
            version=row.version,
            action=action,
            cause="conversation",
            conversation_id=facts.conversation_id,
            signal_ids=signal_ids,
            actor=facts.source,
            reason=reason,
            changes=revision_changes,
        )

    if decision.action is Action.UPDATE and changes:
        add_revision(
            "updated", decision.reason, [c for c in changes if not c["path"].startswith("stage")]
        )
    for step in steps:
        stage_change = {"path": "stage", "old": step.from_stage, "new": step.to_stage}
        add_revision("stage_changed", step.reason, [stage_change])


def _record_change(
    session: Session, facts: ConversationFacts, row: OpportunityRow, changed_fields: list[str]
) -> None:
    """Tell the graph and CRM connectors (through the outbox) that the deal changed."""
    record_changes(
        session,
        [
            Change(
                facts.workspace_id,
                EntityType.OPPORTUNITY,
                row.id,
                changed_fields=changed_fields,
                origin=facts.source,
            )
        ],
    )


def _snapshot(row: OpportunityRow) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(row, name) for name in CORE_FIELDS}
    values["amount"] = str(values["amount"]) if values["amount"] is not None else None
    values["close_date"] = values["close_date"].isoformat() if values["close_date"] else None
    values["plan"] = row.plan
    return values


def _add_core_evidence(
    plan: OpportunityPlan, field_name: str, value: str, facts: ConversationFacts, item: Any
) -> None:
    plan.core_evidence.setdefault(field_name, []).append(
        FieldEvidence(
            value=value,
            quote=item.quote,
            confidence=item.confidence,
            conversation_id=facts.conversation_id,
            signal_id=facts.signal_id(item),
            source=facts.source,
            observed_at=facts.occurred_at,
        )
    )


def _add_qualification(plan: OpportunityPlan, facts: ConversationFacts) -> list[str]:
    by_element: dict[Any, list[ElementEvidence]] = {}
    for item in facts.signals.qualification:
        by_element.setdefault(item.element, []).append(
            ElementEvidence(
                summary=item.summary,
                quote=item.quote,
                confidence=item.confidence,
                polarity=item.polarity,
                person=item.person,
                observed_at=facts.occurred_at,
                conversation_id=facts.conversation_id,
                signal_id=facts.signal_id(item),
                source=facts.source,
            )
        )
    for element, evidence in by_element.items():
        plan.qualification[element] = plan.qualification[element].with_evidence(evidence)
    return facts.ids(*facts.signals.qualification)


def _add_action_items(plan: OpportunityPlan, facts: ConversationFacts) -> list[str]:
    known = {item.action.casefold() for item in plan.action_items}
    used = []
    for step in facts.signals.next_steps:
        if step.action.casefold() in known:
            continue
        known.add(step.action.casefold())
        plan.action_items.append(
            ActionItem(
                id=uuid.uuid4(),
                action=step.action,
                owner=step.owner,
                due=step.due,
                quote=step.quote,
                conversation_id=facts.conversation_id,
                source=facts.source,
                created_at=facts.occurred_at,
            )
        )
        used += facts.ids(step)
    return used


def _add_competitors(plan: OpportunityPlan, facts: ConversationFacts) -> list[str]:
    notes = {note.name.casefold(): note for note in plan.competitors}
    for competitor in facts.signals.competitors:
        notes[competitor.name.casefold()] = CompetitorNote(
            name=competitor.name,
            stance=competitor.stance,
            last_seen=facts.occurred_at,
            quote=competitor.quote,
        )
    plan.competitors = sorted(notes.values(), key=lambda n: n.name.casefold())
    return facts.ids(*facts.signals.competitors)


def _refresh_stakeholders(
    plan: OpportunityPlan, facts: ConversationFacts, people: Resolution
) -> None:
    """Roles this conversation shows (economic buyer, champion, blocker...), by person."""
    entries = {entry.name: entry for entry in plan.stakeholders}

    def entry_for(name: str) -> PlanStakeholder:
        stakeholder = people.stakeholder_for(name)
        key = stakeholder.full_name if stakeholder else name
        if key not in entries:
            entries[key] = PlanStakeholder(
                stakeholder_id=stakeholder.id if stakeholder else None,
                name=key,
                title=stakeholder.title if stakeholder else None,
            )
        return entries[key]

    role_of = {
        "economic_buyer": "economic_buyer",
        "champion": "champion",
        "authority": "decision_maker",
    }
    for item in facts.signals.qualification:
        role = role_of.get(item.element)
        if item.person and role and item.polarity is Polarity.SUPPORTS:
            entry = entry_for(item.person)
            if role not in entry.roles:
                entry.roles.append(role)
            entry.evidence.append(item.quote)
    for relation in facts.signals.relations:
        if relation.type in (RelationType.BACKS, RelationType.OPPOSES) and relation.target is None:
            entry = entry_for(relation.source)
            entry.stance = "supportive" if relation.type is RelationType.BACKS else "opposed"
            role = "champion" if relation.type is RelationType.BACKS else "blocker"
            if role not in entry.roles:
                entry.roles.append(role)
            entry.evidence.append(relation.quote)
    for stakeholder in people.by_name.values():
        entry_for(stakeholder.full_name)
    plan.stakeholders = sorted(entries.values(), key=lambda e: e.name.casefold())
