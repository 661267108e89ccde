"""All SQL of opportunities, account plans and plan revisions."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, or_, select, tuple_
from sqlalchemy.orm import Session

from core.pagination import Position
from plans.opportunities.models import Opportunity, OpportunityPlan, OpportunityStatus
from plans.opportunities.tables import OpportunityRow
from plans.tables import AccountPlanRow, PlanRevisionRow


def to_opportunity(row: OpportunityRow) -> Opportunity:
    return Opportunity(
        id=row.id,
        workspace_id=row.workspace_id,
        account_id=row.account_id,
        name=row.name,
        product_line=row.product_line,
        stage=row.stage,
        stage_locked=row.stage_locked,
        status=OpportunityStatus(row.status),
        amount=row.amount,
        currency=row.currency,
        close_date=row.close_date,
        probability=row.probability,
        plan=OpportunityPlan.model_validate(row.plan),
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
        closed_at=row.closed_at,
        deleted_at=row.deleted_at,
    )


def open_for_account(
    session: Session, workspace_id: uuid.UUID, account_id: uuid.UUID, *, lock: bool = False
) -> list[OpportunityRow]:
    query = (
        select(OpportunityRow)
        .where(
            OpportunityRow.workspace_id == workspace_id,
            OpportunityRow.account_id == account_id,
            OpportunityRow.status == "open",
            OpportunityRow.deleted_at.is_(None),
        )
        .order_by(OpportunityRow.updated_at.desc())
    )
    return list(session.scalars(query.with_for_update() if lock else query))


def for_account(
    session: Session, workspace_id: uuid.UUID, account_id: uuid.UUID
) -> list[OpportunityRow]:
    return list(
        session.scalars(
            select(OpportunityRow)
            .where(
                OpportunityRow.workspace_id == workspace_id,
                OpportunityRow.account_id == account_id,
                OpportunityRow.deleted_at.is_(None),
            )
            .order_by(OpportunityRow.created_at)
        )
    )


def get_row(
    session: Session,
    workspace_id: uuid.UUID,
    opportunity_id: uuid.UUID,
    *,
    lock: bool = False,
    include_deleted: bool = False,
) -> OpportunityRow | None:
    query = select(OpportunityRow).where(
        OpportunityRow.workspace_id == workspace_id, OpportunityRow.id == opportunity_id
    )
    if not include_deleted:
        query = query.where(OpportunityRow.deleted_at.is_(None))
    return session.scalar(query.with_for_update() if lock else query)


def by_ids(
    session: Session, workspace_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[Opportunity]:
    """Live and soft-deleted opportunities among `ids` (a sync needs both)."""
    rows = session.scalars(
        select(OpportunityRow).where(
            OpportunityRow.workspace_id == workspace_id, OpportunityRow.id.in_(ids)
        )
    )
    return [to_opportunity(row) for row in rows]


def holding_action_items(
    session: Session, workspace_id: uuid.UUID, item_ids: Sequence[uuid.UUID]
) -> list[Opportunity]:
    """The opportunities (live or soft-deleted) whose plans hold any of `item_ids`."""
    contains = [
        OpportunityRow.plan["action_items"].contains([{"id": str(item_id)}])
        for item_id in item_ids
    ]
    rows = session.scalars(
        select(OpportunityRow).where(OpportunityRow.workspace_id == workspace_id, or_(*contains))
    )
    return [to_opportunity(row) for row in rows]


def live(session: Session, workspace_id: uuid.UUID) -> list[Opportunity]:
    """Every opportunity not deleted, in id order."""
    rows = session.scalars(
        select(OpportunityRow)
        .where(OpportunityRow.workspace_id == workspace_id, OpportunityRow.deleted_at.is_(None))
        .order_by(OpportunityRow.id)
    )
    return [to_opportunity(row) for row in rows]


def add(session: Session, row: OpportunityRow) -> OpportunityRow:
    session.add(row)
    session.flush()
    return row


def list_opportunities(
    session: Session,
    workspace_id: uuid.UUID,
    *,
    limit: int,
    after: Position | None = None,
    account_id: uuid.UUID | None = None,
    status: str | None = None,
    stage: str | None = None,
    product_line: str | None = None,
) -> list[OpportunityRow]:
    query: Select[OpportunityRow] = select(OpportunityRow).where(
        OpportunityRow.workspace_id == workspace_id, OpportunityRow.deleted_at.is_(None)
    )
    for column, value in (
        (OpportunityRow.account_id, account_id),
        (OpportunityRow.status, status),
        (OpportunityRow.stage, stage),
        (OpportunityRow.product_line, product_line),
    ):
        if value is not None:
            query = query.where(column == value)
    if after is not None:
        query = query.where(
            tuple_(OpportunityRow.created_at, OpportunityRow.id) > (after.created_at, after.id)
        )
    return list(
        session.scalars(query.order_by(OpportunityRow.created_at, OpportunityRow.id).limit(limit))
    )


def stages_in_use(session: Session, workspace_id: uuid.UUID) -> set[str]:
    return set(
        session.scalars(
            select(OpportunityRow.stage)
            .where(OpportunityRow.workspace_id == workspace_id, OpportunityRow.status == "open")
            .distinct()
        )
    )


def conversations_of_open(
    session: Session, workspace_id: uuid.UUID, account_id: uuid.UUID
) -> dict[uuid.UUID, set[uuid.UUID]]:
    """Open opportunity -> the conversations that created or changed it (an opportunity
    changed only by hand maps to no conversation)."""
    rows = session.execute(
        select(OpportunityRow.id, PlanRevisionRow.conversation_id)
        .join(PlanRevisionRow, PlanRevisionRow.subject_id == OpportunityRow.id)
        .where(
            OpportunityRow.workspace_id == workspace_id,
            OpportunityRow.account_id == account_id,
            OpportunityRow.status == "open",
            OpportunityRow.deleted_at.is_(None),
        )
    )
    conversations: dict[uuid.UUID, set[uuid.UUID]] = {}
    for opportunity_id, conversation_id in rows:
        conversations.setdefault(opportunity_id, set())
        if conversation_id is not None:
            conversations[opportunity_id].add(conversation_id)
    return conversations


# --- account plans ------------------------------------------------------------------


def account_plan_row(
    session: Session, workspace_id: uuid.UUID, account_id: uuid.UUID, *, lock: bool = False
) -> AccountPlanRow | None:
    query = select(AccountPlanRow).where(
        AccountPlanRow.workspace_id == workspace_id, AccountPlanRow.account_id == account_id
    )
    return session.scalar(query.with_for_update() if lock else query)


def add_account_plan(
    session: Session, workspace_id: uuid.UUID, account_id: uuid.UUID, plan: dict[str, Any]
) -> AccountPlanRow:
    row = AccountPlanRow(workspace_id=workspace_id, account_id=account_id, plan=plan, version=1)
    session.add(row)
    session.flush()
    return row


# --- revisions ----------------------------------------------------------------------


def add_revision(
    session: Session,
    *,
    workspace_id: uuid.UUID,
    subject_type: str,
    subject_id: uuid.UUID,
    version: int,
    action: str,
    cause: str,
    actor: str | None,
    reason: str | None,
    changes: list[dict[str, Any]],
    conversation_id: uuid.UUID | None = None,
    signal_ids: Sequence[str] = (),
) -> None:
    session.add(
        PlanRevisionRow(
            workspace_id=workspace_id,
            subject_type=subject_type,
            subject_id=subject_id,
            version=version,
            action=action,
            cause=cause,
            conversation_id=conversation_id,
            signal_ids=list(signal_ids),
            actor=actor,
            reason=reason,
            changes=changes,
        )
    )


def revisions(
    session: Session,
    workspace_id: uuid.UUID,
    subject_type: str,
    subject_id: uuid.UUID,
    *,
    limit: int,
    before_version: int | None = None,
) -> list[PlanRevisionRow]:
    query = select(PlanRevisionRow).where(
        PlanRevisionRow.workspace_id == workspace_id,
        PlanRevisionRow.subject_type == subject_type,
        PlanRevisionRow.subject_id == subject_id,
    )
    if before_version is not None:
        query = query.where(PlanRevisionRow.version < before_version)
    return list(
        session.scalars(
            query.order_by(PlanRevisionRow.version.desc(), PlanRevisionRow.created_at.desc()).limit(
                limit
            )
        )
    )


def count_open(session: Session, workspace_id: uuid.UUID) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(OpportunityRow)
            .where(OpportunityRow.workspace_id == workspace_id, OpportunityRow.status == "open")
        )
        or 0
    )
