"""Use cases on stakeholders of the political map: their profile with explained scores,
rep overrides of scores and roles (audited), and merging two records of one person."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy.orm import Session

from core.db import utcnow
from core.errors import Conflict, InvalidInput, NotFound
from core.outbox.models import Change, EntityType
from core.outbox.service import record_changes
from plans import repository as stakeholders
from plans.errors import StakeholderNotFound
from plans.map import repository
from plans.map.models import (
    ROLE_STANCE,
    ContributionView,
    EvidenceItem,
    MapEdgeType,
    RelationView,
    Role,
    RoleView,
    Scope,
    ScoreView,
    StakeholderProfile,
    Stance,
)
from plans.map.scores import recompute_account
from plans.models import Stakeholder
from scoring.models import ScoreName
from scoring.relationship import RelationshipWeights

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000)]


class ScoreOverrideIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: ScoreName
    value: float = Field(ge=0, le=10)
    reason: Reason


class RoleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role
    scope: Scope = Field(default_factory=Scope)
    stance: Stance | None = None
    reason: Reason


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    duplicate_id: uuid.UUID = Field(description="The record to fold into this one")
    reason: Reason


def _stakeholder(
    session: Session, workspace_id: uuid.UUID, stakeholder_id: uuid.UUID
) -> Stakeholder:
    found = stakeholders.stakeholders_by_ids(session, workspace_id, [stakeholder_id])
    if not found or found[0].deleted_at is not None:
        raise StakeholderNotFound(f"no stakeholder {stakeholder_id}")
    return found[0]


def profile(
    session: Session, workspace_id: uuid.UUID, stakeholder_id: uuid.UUID
) -> StakeholderProfile:
    person = _stakeholder(session, workspace_id, stakeholder_id)
    roles = [
        RoleView(
            id=r.id,
            role=Role(r.role),
            scope=Scope.of_key(r.scope),
            stance=Stance(r.stance) if r.stance else None,
            confidence=r.confidence,
            source=r.source,
            created_by=r.created_by,
            reason=r.reason,
            evidence=[EvidenceItem.model_validate(e) for e in r.evidence],
        )
        for r in repository.roles_of(session, [person.id])
    ]
    relations = repository.relations_of(session, workspace_id, person.id)
    others = {
        s.id: s.full_name
        for s in stakeholders.stakeholders_by_ids(
            session,
            workspace_id,
            [r.target_id if r.source_id == person.id else r.source_id for r in relations],
        )
    }
    relation_views = [
        RelationView(
            id=r.id,
            type=MapEdgeType(r.type),
            direction="out" if r.source_id == person.id else "in",
            other_id=(other := r.target_id if r.source_id == person.id else r.source_id),
            other_name=others.get(other, "?"),
            weight=r.weight,
            evidence=[EvidenceItem.model_validate(e) for e in r.evidence],
        )
        for r in relations
    ]
    score = repository.scores_of(session, [person.id]).get(person.id)
    overrides = {o.score: o for o in repository.active_overrides(session, [person.id])}
    scores: dict[str, ScoreView] = {}
    for name in ScoreName:
        stored: dict[str, Any] = (score.evidence if score else {}).get(name.value) or {
            "value": 0.0,
            "contributions": [],
        }
        override = overrides.get(name.value)
        scores[name.value] = ScoreView(
            value=float(stored["value"]),
            overridden=bool(stored.get("overridden")),
            override=(
                {
                    "value": override.value,
                    "previous_value": override.previous_value,
                    "reason": override.reason,
                    "by": override.actor,
                    "at": override.created_at.isoformat(),
                }
                if override
                else None
            ),
            evidence=[ContributionView.model_validate(c) for c in stored["contributions"]],
        )
    stance = next((r.stance for r in roles if r.stance is not None), None)
    return StakeholderProfile(
        id=person.id,
        account_id=person.account_id,
        full_name=person.full_name,
        title=person.title,
        department=person.department,
        seniority=person.seniority,
        emails=list(person.emails),
        reports_to_id=person.reports_to_id,
        roles=roles,
        stance=stance,
        scores=scores,
        relations=relation_views,
        scores_computed_at=score.computed_at if score else None,
        version=person.version,
    )


def _rescore(session: Session, person: Stakeholder, weights: RelationshipWeights) -> None:
    """A rep's change shows at once: the account is rescored in the same transaction (it
    also asks for the graph to be re-projected)."""
    recompute_account(session, person.workspace_id, person.account_id, weights)


def override_score(
    session: Session,
    workspace_id: uuid.UUID,
    stakeholder_id: uuid.UUID,
    body: ScoreOverrideIn,
    actor: str,
    weights: RelationshipWeights,
) -> None:
    person = _stakeholder(session, workspace_id, stakeholder_id)
    current = repository.scores_of(session, [person.id]).get(person.id)
    previous = float(getattr(current, body.score.value)) if current else None
    repository.add_override(
        session,
        workspace_id=workspace_id,
        stakeholder_id=person.id,
        score=body.score.value,
        value=body.value,
        previous_value=previous,
        reason=body.reason,
        actor=actor,
    )
    _rescore(session, person, weights)


def clear_override(
    session: Session,
    workspace_id: uuid.UUID,
    stakeholder_id: uuid.UUID,
    score: ScoreName,
    actor: str,
    reason: str,
    weights: RelationshipWeights,
) -> None:
    person = _stakeholder(session, workspace_id, stakeholder_id)
    if not repository.clear_override(session, person.id, score.value, actor, reason):
        raise NotFound(f"no active override of {score.value} for this stakeholder")
    _rescore(session, person, weights)


def override_history(
    session: Session, workspace_id: uuid.UUID, stakeholder_id: uuid.UUID
) -> list[dict[str, Any]]:
    person = _stakeholder(session, workspace_id, stakeholder_id)
    return [
        {
            "score": o.score,
            "value": o.value,
            "previous_value": o.previous_value,
            "reason": o.reason,
            "by": o.actor,
            "at": o.created_at,
            "cleared_at": o.cleared_at,
            "cleared_by": o.cleared_by,
            "clear_reason": o.clear_reason,
        }
        for o in repository.override_history(session, person.id)
    ]


def add_role(
    session: Session,
    workspace_id: uuid.UUID,
    stakeholder_id: uuid.UUID,
    body: RoleIn,
    actor: str,
    weights: RelationshipWeights,
) -> None:
    person = _stakeholder(session, workspace_id, stakeholder_id)
    if body.scope.kind == "aspect" and not body.scope.aspect:
        raise InvalidInput("an aspect scope needs the aspect", field="body.scope.aspect")
    if body.scope.kind == "opportunity" and body.scope.opportunity_id is None:
        raise InvalidInput(
            "an opportunity scope needs opportunity_id", field="body.scope.opportunity_id"
        )
    stance = body.stance or ROLE_STANCE.get(body.role)
    repository.set_role_by_rep(
        session,
        workspace_id,
        person.id,
        body.role.value,
        body.scope.key(),
        stance.value if stance else None,
        actor,
        body.reason,
    )
    _rescore(session, person, weights)


def remove_role(
    session: Session,
    workspace_id: uuid.UUID,
    stakeholder_id: uuid.UUID,
    role_id: uuid.UUID,
    actor: str,
    reason: str,
    weights: RelationshipWeights,
) -> None:
    person = _stakeholder(session, workspace_id, stakeholder_id)
    row = repository.remove_role(session, workspace_id, role_id, actor, reason)
    if row is None or row.stakeholder_id != person.id:
        raise NotFound(f"no role {role_id} on this stakeholder")
    _rescore(session, person, weights)


def merge(
    session: Session,
    workspace_id: uuid.UUID,
    keep_id: uuid.UUID,
    body: MergeIn,
    actor: str,
    weights: RelationshipWeights,
) -> None:
    """Fold `body.duplicate_id` into `keep_id`: emails, relations, roles, interactions and
    overrides move (with all their evidence); the duplicate is soft-deleted and points to
    the record it was merged into."""
    keep = _stakeholder(session, workspace_id, keep_id)
    duplicate = _stakeholder(session, workspace_id, body.duplicate_id)
    if keep.id == duplicate.id:
        raise InvalidInput("cannot merge a stakeholder into itself", field="body.duplicate_id")
    if keep.account_id != duplicate.account_id:
        raise Conflict("the two stakeholders belong to different accounts")
    now = utcnow()
    repository.move_stakeholder_references(session, duplicate.id, keep.id, now)
    emails = list(dict.fromkeys([*keep.emails, *duplicate.emails]))
    stakeholders.set_stakeholder_emails(session, workspace_id, duplicate.id, [])
    stakeholders.set_stakeholder_emails(session, workspace_id, keep.id, emails)
    fill = {
        name: getattr(duplicate, name)
        for name in ("title", "department", "seniority")
        if getattr(keep, name) is None and getattr(duplicate, name) is not None
    }
    stakeholders.update_stakeholder(session, workspace_id, keep.id, fill)
    stakeholders.update_stakeholder(
        session, workspace_id, duplicate.id, {"merged_into_id": keep.id, "deleted_at": now}
    )
    record_changes(
        session,
        [
            Change(
                workspace_id,
                EntityType.STAKEHOLDER,
                keep.id,
                origin="rep",
                payload={"merged": str(duplicate.id), "by": actor, "reason": body.reason},
            ),
            Change(workspace_id, EntityType.STAKEHOLDER, duplicate.id, origin="rep"),
        ],
    )
    _rescore(session, keep, weights)
