"""/stakeholders: a person's profile with explained scores; overrides, roles, merges."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.api.actor import actor_of
from app.api.deps import Reader, SessionDep, Writer, get_runtime
from core.errors import InvalidInput
from plans import repository as stakeholders
from plans.map import service
from plans.map.models import Scope, StakeholderProfile
from plans.opportunities import repository as opportunities
from scoring.models import ScoreName

router = APIRouter(prefix="/stakeholders", tags=["political map"])
ReasonQuery = Annotated[
    str, Query(min_length=3, max_length=1000, description="Why (kept for the audit trail)")
]


class OverrideRecord(BaseModel):
    score: str
    value: float
    previous_value: float | None
    reason: str
    by: str
    at: datetime
    cleared_at: datetime | None
    cleared_by: str | None
    clear_reason: str | None


@router.get("/{stakeholder_id}")
def get_stakeholder(
    stakeholder_id: UUID, principal: Reader, session: SessionDep
) -> StakeholderProfile:
    """Identity, roles (with scope and evidence), the three scores each with the
    contributions that add up to it, and relations with their evidence."""
    return service.profile(session, principal.workspace_id, stakeholder_id)


@router.post("/{stakeholder_id}/overrides")
def override_score(
    stakeholder_id: UUID,
    body: service.ScoreOverrideIn,
    principal: Writer,
    session: SessionDep,
    request: Request,
) -> StakeholderProfile:
    """Set a score by hand; it wins until cleared and is shown as an override."""
    weights = get_runtime(request).relationship_weights
    service.override_score(
        session, principal.workspace_id, stakeholder_id, body, actor_of(request, principal), weights
    )
    return service.profile(session, principal.workspace_id, stakeholder_id)


@router.delete("/{stakeholder_id}/overrides/{score}")
def clear_override(
    stakeholder_id: UUID,
    score: ScoreName,
    reason: ReasonQuery,
    principal: Writer,
    session: SessionDep,
    request: Request,
) -> StakeholderProfile:
    weights = get_runtime(request).relationship_weights
    service.clear_override(
        session,
        principal.workspace_id,
        stakeholder_id,
        score,
        actor_of(request, principal),
        reason,
        weights,
    )
    return service.profile(session, principal.workspace_id, stakeholder_id)


@router.get("/{stakeholder_id}/overrides")
def override_history(
    stakeholder_id: UUID, principal: Reader, session: SessionDep
) -> list[OverrideRecord]:
    """Every override ever set on this person, newest first (who, when, why, previous value)."""
    return [
        OverrideRecord(**item)
        for item in service.override_history(session, principal.workspace_id, stakeholder_id)
    ]


@router.post("/{stakeholder_id}/roles")
def add_role(
    stakeholder_id: UUID,
    body: service.RoleIn,
    principal: Writer,
    session: SessionDep,
    request: Request,
) -> StakeholderProfile:
    """Give a role (for the account, an aspect, or one opportunity), with a reason."""
    _check_scoped_opportunity(session, principal.workspace_id, stakeholder_id, body.scope)
    weights = get_runtime(request).relationship_weights
    service.add_role(
        session, principal.workspace_id, stakeholder_id, body, actor_of(request, principal), weights
    )
    return service.profile(session, principal.workspace_id, stakeholder_id)


def _check_scoped_opportunity(
    session: Session, workspace_id: UUID, stakeholder_id: UUID, scope: Scope
) -> None:
    """A role scoped to one opportunity names an opportunity of the person's own account.
    Checked here because the map and the opportunities never read each other."""
    if scope.kind != "opportunity" or scope.opportunity_id is None:
        return
    people = stakeholders.stakeholders_by_ids(session, workspace_id, [stakeholder_id])
    deal = opportunities.get_row(session, workspace_id, scope.opportunity_id)
    if people and (deal is None or deal.account_id != people[0].account_id):
        raise InvalidInput(
            f"no opportunity {scope.opportunity_id} on this stakeholder's account",
            field="body.scope.opportunity_id",
        )


@router.delete("/{stakeholder_id}/roles/{role_id}")
def remove_role(
    stakeholder_id: UUID,
    role_id: UUID,
    reason: ReasonQuery,
    principal: Writer,
    session: SessionDep,
    request: Request,
) -> StakeholderProfile:
    """Remove a role; extraction will not bring it back (its evidence is still kept)."""
    weights = get_runtime(request).relationship_weights
    service.remove_role(
        session,
        principal.workspace_id,
        stakeholder_id,
        role_id,
        actor_of(request, principal),
        reason,
        weights,
    )
    return service.profile(session, principal.workspace_id, stakeholder_id)


@router.post("/{stakeholder_id}/merge")
def merge(
    stakeholder_id: UUID,
    body: service.MergeIn,
    principal: Writer,
    session: SessionDep,
    request: Request,
) -> StakeholderProfile:
    """Fold a duplicate record of the same person into this one, keeping all evidence and edges."""
    weights = get_runtime(request).relationship_weights
    service.merge(
        session, principal.workspace_id, stakeholder_id, body, actor_of(request, principal), weights
    )
    return service.profile(session, principal.workspace_id, stakeholder_id)
