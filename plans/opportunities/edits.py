"""Rep edits of opportunities and their plans.

A rep's value wins: the field is recorded in `rep_fields` (who, when, why) so extraction
never overwrites it again (it only adds evidence). A stage set by hand locks the stage
until the rep releases it. Every edit is a revision with the rep as its cause.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from sqlalchemy.orm import Session

from core.db import utcnow
from core.errors import InvalidInput
from core.outbox.models import Change, EntityType, Operation
from core.outbox.service import record_changes
from plans.errors import OpportunityNotFound
from plans.extraction.signals import Element, Polarity
from plans.opportunities import repository
from plans.opportunities.models import ActionItem, Opportunity, OpportunityPlan, RepEdit
from plans.opportunities.pipeline import PipelineConfig
from plans.opportunities.qualification import ElementEvidence, ElementStatus
from plans.opportunities.stages import CLOSED, CLOSED_LOST, CLOSED_WON, advance
from plans.opportunities.tables import OpportunityRow
from plans.revisions import diff

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000)]


def _present_means_set(value: object) -> object:
    """For fields that may be left out but never cleared: an explicit null is refused."""
    if value is None:
        raise ValueError("cannot be null; leave the field out to keep its value")
    return value


class OpportunityEdit(BaseModel):
    """Fields a rep sets by hand; only the fields present change."""

    model_config = ConfigDict(extra="forbid")

    name: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
        | None
    ) = None
    amount: Annotated[Decimal, Field(ge=0, le=Decimal("1e12"))] | None = None
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    close_date: date | None = None
    stage: str | None = None
    reason: Reason

    _name_not_null = field_validator("name", mode="before")(_present_means_set)


class ActionItemEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID | None = Field(default=None, description="Omit to add a new item")
    action: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
        | None
    ) = None
    owner: Annotated[str, StringConstraints(max_length=200)] | None = None
    due: date | None = None
    status: Annotated[str, StringConstraints(pattern=r"^(open|done)$")] | None = None
    deleted: bool | None = Field(
        default=None, description="true removes the item, false restores it"
    )

    _set_fields_not_null = field_validator("action", "status", mode="before")(_present_means_set)


class ElementEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: ElementStatus
    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
    person: Annotated[str, StringConstraints(max_length=200)] | None = None


class PlanEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    summary: Annotated[str, StringConstraints(max_length=5000)] | None = None
    notes: Annotated[str, StringConstraints(max_length=20000)] | None = None
    action_items: list[ActionItemEdit] = Field(default_factory=list, max_length=100)
    qualification: dict[Element, ElementEdit] = Field(default_factory=dict)
    reason: Reason


def _locked_row(
    session: Session, workspace_id: uuid.UUID, opportunity_id: uuid.UUID
) -> OpportunityRow:
    row = repository.get_row(session, workspace_id, opportunity_id, lock=True)
    if row is None:
        raise OpportunityNotFound(f"no opportunity {opportunity_id}")
    return row


def _snapshot(row: OpportunityRow) -> dict[str, Any]:
    return {
        "name": row.name,
        "stage": row.stage,
        "stage_locked": row.stage_locked,
        "status": row.status,
        "amount": str(row.amount) if row.amount is not None else None,
        "currency": row.currency,
        "close_date": row.close_date.isoformat() if row.close_date else None,
        "probability": row.probability,
        "plan": row.plan,
    }


def _record(
    session: Session,
    row: OpportunityRow,
    before: dict[str, Any],
    actor: str,
    reason: str,
    action: str,
) -> None:
    changes = diff(before, _snapshot(row))
    if not changes:
        return
    row.version += 1
    repository.add_revision(
        session,
        workspace_id=row.workspace_id,
        subject_type="opportunity",
        subject_id=row.id,
        version=row.version,
        action=action,
        cause="rep",
        actor=actor,
        reason=reason,
        changes=changes,
    )
    session.flush()
    record_changes(
        session,
        [
            Change(
                row.workspace_id,
                EntityType.OPPORTUNITY,
                row.id,
                changed_fields=sorted({c["path"].split(".")[0] for c in changes}),
                origin="rep",
            )
        ],
    )


def edit_opportunity(
    session: Session,
    workspace_id: uuid.UUID,
    opportunity_id: uuid.UUID,
    edit: OpportunityEdit,
    config: PipelineConfig,
    actor: str,
) -> Opportunity:
    row = _locked_row(session, workspace_id, opportunity_id)
    before = _snapshot(row)
    plan = OpportunityPlan.model_validate(row.plan)
    stamp = RepEdit(by=actor, at=utcnow(), reason=edit.reason)
    fields = edit.model_dump(include=edit.model_fields_set - {"reason"})
    if "stage" in fields:
        stage = fields["stage"]
        if stage not in config.stage_model.keys():
            raise InvalidInput(
                f"unknown stage {stage!r}; stages are {', '.join(config.stage_model.keys())}",
                field="body.stage",
            )
        row.stage, row.stage_locked = stage, True
        row.status = "won" if stage == CLOSED_WON else "lost" if stage == CLOSED_LOST else "open"
        row.closed_at = utcnow() if stage in CLOSED else None
        row.probability = config.stage_model.probability(stage)
        plan.rep_fields["stage"] = stamp
    for name in ("name", "amount", "currency", "close_date"):
        if name in fields:
            setattr(row, name, fields[name])
            plan.rep_fields[name] = stamp
    row.plan = plan.model_dump(mode="json")
    _record(session, row, before, actor, edit.reason, "rep_edit")
    return repository.to_opportunity(row)


def release_stage(
    session: Session,
    workspace_id: uuid.UUID,
    opportunity_id: uuid.UUID,
    config: PipelineConfig,
    actor: str,
) -> Opportunity:
    """Hand the stage back to the rules; they may advance it at once."""
    row = _locked_row(session, workspace_id, opportunity_id)
    before = _snapshot(row)
    plan = OpportunityPlan.model_validate(row.plan)
    row.stage_locked = False
    plan.rep_fields.pop("stage", None)
    if row.status == "open":
        steps = advance(row.stage, plan.qualification, config.stage_model)
        if steps:
            row.stage = steps[-1].to_stage
            row.probability = config.stage_model.probability(row.stage)
    row.plan = plan.model_dump(mode="json")
    _record(
        session, row, before, actor, "stage released to the qualification rules", "stage_released"
    )
    return repository.to_opportunity(row)


def edit_plan(
    session: Session,
    workspace_id: uuid.UUID,
    opportunity_id: uuid.UUID,
    edit: PlanEdit,
    config: PipelineConfig,
    actor: str,
) -> Opportunity:
    row = _locked_row(session, workspace_id, opportunity_id)
    before = _snapshot(row)
    plan = OpportunityPlan.model_validate(row.plan)
    now = utcnow()
    stamp = RepEdit(by=actor, at=now, reason=edit.reason)
    for name in ("summary", "notes"):
        if name in edit.model_fields_set:
            setattr(plan, name, getattr(edit, name))
            plan.rep_fields[name] = stamp
    items = {item.id: item for item in plan.action_items}
    for change in edit.action_items:
        if change.id is None:
            if not change.action:
                raise InvalidInput(
                    "a new action item needs an action", field="body.action_items.action"
                )
            item = ActionItem(
                id=uuid.uuid4(),
                action=change.action,
                owner=change.owner,
                due=change.due,
                status=change.status or "open",
                source="rep",
                created_at=now,
            )
            plan.action_items.append(item)
            continue
        if change.id not in items:
            raise InvalidInput(
                f"no action item {change.id} in this plan", field="body.action_items.id"
            )
        update = {
            k: v
            for k, v in change.model_dump(exclude={"id", "deleted"}).items()
            if k in change.model_fields_set
        }
        if change.deleted is not None:
            update["deleted_at"] = now if change.deleted else None
        updated = items[change.id].model_copy(update=update)
        plan.action_items = [updated if i.id == change.id else i for i in plan.action_items]
    for element, element_edit in edit.qualification.items():
        polarity = (
            Polarity.CONTRADICTS
            if element_edit.status is ElementStatus.UNKNOWN
            else Polarity.SUPPORTS
        )
        confidence = 0.9 if element_edit.status is ElementStatus.CONFIRMED else 0.5
        evidence = ElementEvidence(
            summary=f"rep: {element_edit.note}",
            quote=element_edit.note,
            confidence=confidence,
            polarity=polarity,
            person=element_edit.person,
            observed_at=now,
            source="rep",
        )
        plan.qualification[element] = plan.qualification[element].with_evidence([evidence])
        plan.rep_fields[f"qualification.{element.value}"] = stamp
    if row.status == "open" and not row.stage_locked:
        steps = advance(row.stage, plan.qualification, config.stage_model)
        if steps:
            row.stage = steps[-1].to_stage
            row.probability = config.stage_model.probability(row.stage)
    row.plan = plan.model_dump(mode="json")
    _record(session, row, before, actor, edit.reason, "rep_edit")
    return repository.to_opportunity(row)


def set_opportunity_deleted(
    session: Session, workspace_id: uuid.UUID, opportunity_id: uuid.UUID, deleted: bool, actor: str
) -> Opportunity:
    """Soft-delete or restore a deal; its plan and history stay."""
    row = repository.get_row(session, workspace_id, opportunity_id, lock=True, include_deleted=True)
    if row is None:
        raise OpportunityNotFound(f"no opportunity {opportunity_id}")
    if (row.deleted_at is None) == deleted:
        row.deleted_at = utcnow() if deleted else None
        row.version += 1
        repository.add_revision(
            session,
            workspace_id=workspace_id,
            subject_type="opportunity",
            subject_id=row.id,
            version=row.version,
            action="deleted" if deleted else "restored",
            cause="rep",
            actor=actor,
            reason=None,
            changes=[],
        )
        session.flush()
        record_changes(
            session,
            [
                Change(
                    workspace_id,
                    EntityType.OPPORTUNITY,
                    row.id,
                    Operation.DELETE if deleted else Operation.UPSERT,
                    changed_fields=["deleted"],
                    origin="rep",
                )
            ],
        )
    return repository.to_opportunity(row)
