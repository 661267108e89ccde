"""/opportunities: list and read with plans; rep edits; stage release; history."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from app.api.actor import actor_of
from app.api.deps import Reader, SessionDep, Writer
from core.pagination import DEFAULT_LIMIT, MAX_LIMIT, Position, decode_cursor, encode_cursor
from plans.errors import OpportunityNotFound
from plans.extraction.signals import BANT_ELEMENTS, MEDDIC_ELEMENTS
from plans.opportunities import edits, repository
from plans.opportunities.models import Opportunity, OpportunityPlan
from plans.opportunities.pipeline import pipeline_config
from plans.opportunities.qualification import progress

router = APIRouter(prefix="/opportunities", tags=["opportunities"])

# Versions are PostgreSQL `integer`s; a larger one could never match and would not even
# reach the query.
MAX_VERSION = 2**31 - 1
BeforeVersion = Annotated[
    int | None, Query(ge=1, le=MAX_VERSION, description="revisions older than this version")
]


class OpportunityOut(BaseModel):
    id: UUID
    account_id: UUID
    name: str
    product_line: str
    stage: str
    stage_locked: bool
    status: str
    amount: Decimal | None
    currency: str | None
    close_date: date | None
    probability: float
    meddic_progress: float
    bant_progress: float
    version: int
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None

    @classmethod
    def of(cls, opportunity: Opportunity) -> OpportunityOut:
        return cls(
            **opportunity.model_dump(exclude={"plan", "workspace_id"}),
            meddic_progress=progress(opportunity.plan.qualification, MEDDIC_ELEMENTS),
            bant_progress=progress(opportunity.plan.qualification, BANT_ELEMENTS),
        )


class OpportunityDetail(OpportunityOut):
    plan: OpportunityPlan


class OpportunityPage(BaseModel):
    items: list[OpportunityOut]
    next_cursor: str | None


class Revision(BaseModel):
    version: int
    action: str
    cause: str
    actor: str | None
    reason: str | None
    conversation_id: UUID | None
    signal_ids: list[str]
    changes: list[dict[str, Any]]
    created_at: datetime


class History(BaseModel):
    items: list[Revision]
    next_before_version: int | None


def _detail(opportunity: Opportunity) -> OpportunityDetail:
    return OpportunityDetail(**OpportunityOut.of(opportunity).model_dump(), plan=opportunity.plan)


@router.get("")
def list_opportunities(
    principal: Reader,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    account_id: UUID | None = None,
    status: Annotated[str | None, Query(pattern="^(open|won|lost)$")] = None,
    stage: Annotated[str | None, Query(max_length=50)] = None,
    product_line: Annotated[str | None, Query(max_length=100)] = None,
) -> OpportunityPage:
    rows = repository.list_opportunities(
        session,
        principal.workspace_id,
        limit=limit + 1,
        after=decode_cursor(cursor) if cursor else None,
        account_id=account_id,
        status=status,
        stage=stage,
        product_line=product_line,
    )
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor(Position(rows[-1].created_at, rows[-1].id))
    items = [OpportunityOut.of(repository.to_opportunity(r)) for r in rows]
    return OpportunityPage(items=items, next_cursor=next_cursor)


@router.get("/{opportunity_id}")
def get_opportunity(
    opportunity_id: UUID, principal: Reader, session: SessionDep
) -> OpportunityDetail:
    row = repository.get_row(session, principal.workspace_id, opportunity_id)
    if row is None:
        raise OpportunityNotFound(f"no opportunity {opportunity_id}")
    return _detail(repository.to_opportunity(row))


@router.patch("/{opportunity_id}")
def edit_opportunity(
    opportunity_id: UUID,
    body: edits.OpportunityEdit,
    principal: Writer,
    session: SessionDep,
    request: Request,
) -> OpportunityDetail:
    """A rep sets fields by hand (with a reason); setting `stage` locks it until released."""
    config = pipeline_config(session, principal.workspace_id)
    opportunity = edits.edit_opportunity(
        session, principal.workspace_id, opportunity_id, body, config, actor_of(request, principal)
    )
    return _detail(opportunity)


@router.post("/{opportunity_id}/stage/release")
def release_stage(
    opportunity_id: UUID, principal: Writer, session: SessionDep, request: Request
) -> OpportunityDetail:
    config = pipeline_config(session, principal.workspace_id)
    opportunity = edits.release_stage(
        session, principal.workspace_id, opportunity_id, config, actor_of(request, principal)
    )
    return _detail(opportunity)


@router.patch("/{opportunity_id}/plan")
def edit_plan(
    opportunity_id: UUID,
    body: edits.PlanEdit,
    principal: Writer,
    session: SessionDep,
    request: Request,
) -> OpportunityDetail:
    config = pipeline_config(session, principal.workspace_id)
    opportunity = edits.edit_plan(
        session, principal.workspace_id, opportunity_id, body, config, actor_of(request, principal)
    )
    return _detail(opportunity)


@router.get("/{opportunity_id}/history")
def opportunity_history(
    opportunity_id: UUID,
    principal: Reader,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    before_version: BeforeVersion = None,
) -> History:
    if repository.get_row(session, principal.workspace_id, opportunity_id) is None:
        raise OpportunityNotFound(f"no opportunity {opportunity_id}")
    return history(
        session, principal.workspace_id, "opportunity", opportunity_id, limit, before_version
    )


def history(
    session: Any, workspace_id: UUID, subject: str, subject_id: UUID, limit: int, before: int | None
) -> History:
    rows = repository.revisions(
        session, workspace_id, subject, subject_id, limit=limit + 1, before_version=before
    )
    more = len(rows) > limit
    rows = rows[:limit]
    items = [
        Revision(
            version=r.version,
            action=r.action,
            cause=r.cause,
            actor=r.actor,
            reason=r.reason,
            conversation_id=r.conversation_id,
            signal_ids=r.signal_ids,
            changes=r.changes,
            created_at=r.created_at,
        )
        for r in rows
    ]
    return History(items=items, next_before_version=rows[-1].version if more and rows else None)
