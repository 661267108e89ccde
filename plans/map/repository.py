"""All SQL of the political map."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from core.db import utcnow
from plans.map.models import EvidenceItem
from plans.map.tables import (
    InteractionRow,
    OurPersonRow,
    RelationRow,
    RoleRow,
    ScoreOverrideRow,
    ScoreRow,
)
from plans.names import fold

MAX_EVIDENCE = 50


def noisy_or(confidences: Sequence[float]) -> float:
    """How sure several independent pieces of evidence make us: 1 - prod(1 - c)."""
    remaining = 1.0
    for confidence in confidences:
        remaining *= 1.0 - max(0.0, min(1.0, confidence))
    return round(1.0 - remaining, 4)


def _merge_evidence(existing: list[dict[str, Any]], item: EvidenceItem) -> list[dict[str, Any]]:
    key = (str(item.signal_id) if item.signal_id else None, item.quote)
    if any((e.get("signal_id"), e.get("quote")) == key for e in existing):
        return existing
    return (existing + [item.model_dump(mode="json")])[-MAX_EVIDENCE:]


# --- our people and interactions ----------------------------------------------------


def our_person(
    session: Session, workspace_id: uuid.UUID, name: str, email: str | None, title: str | None
) -> uuid.UUID:
    key = email.strip().lower() if email else f"name:{fold(name)}"
    session.execute(
        insert(OurPersonRow)
        .values(
            id=uuid.uuid4(), workspace_id=workspace_id, key=key, name=name, email=email, title=title
        )
        .on_conflict_do_nothing(index_elements=["workspace_id", "key"])
    )
    found = session.scalar(
        select(OurPersonRow.id).where(
            OurPersonRow.workspace_id == workspace_id, OurPersonRow.key == key
        )
    )
    assert found is not None
    return found


def our_people(
    session: Session, workspace_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[OurPersonRow]:
    if not ids:
        return []
    return list(
        session.scalars(
            select(OurPersonRow).where(
                OurPersonRow.workspace_id == workspace_id, OurPersonRow.id.in_(ids)
            )
        )
    )


def record_interaction(session: Session, values: dict[str, Any]) -> None:
    statement = insert(InteractionRow).values(id=uuid.uuid4(), **values)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["conversation_id", "stakeholder_id"],
            set_={
                k: statement.excluded[k] for k in ("our_people", "participated", "spoke", "words")
            },
        )
    )


def interactions_of_account(
    session: Session, workspace_id: uuid.UUID, account_id: uuid.UUID
) -> list[InteractionRow]:
    return list(
        session.scalars(
            select(InteractionRow).where(
                InteractionRow.workspace_id == workspace_id, InteractionRow.account_id == account_id
            )
        )
    )


# --- relations ----------------------------------------------------------------------


def add_relation_evidence(
    session: Session,
    workspace_id: uuid.UUID,
    account_id: uuid.UUID,
    source_id: uuid.UUID,
    target_id: uuid.UUID,
    edge_type: str,
    item: EvidenceItem,
    *,
    origin: str = "extraction",
    weight: float | None = None,
) -> RelationRow:
    row = session.scalar(
        select(RelationRow)
        .where(
            RelationRow.source_id == source_id,
            RelationRow.target_id == target_id,
            RelationRow.type == edge_type,
        )
        .with_for_update()
    )
    if row is None:
        row = RelationRow(
            workspace_id=workspace_id,
            account_id=account_id,
            source_id=source_id,
            target_id=target_id,
            type=edge_type,
            weight=0.0,
            evidence=[],
            source=origin,
        )
        session.add(row)
    row.evidence = _merge_evidence(list(row.evidence), item)
    row.weight = weight if weight is not None else noisy_or([e["confidence"] for e in row.evidence])
    row.updated_at = utcnow()
    session.flush()
    return row


def relations_of_account(
    session: Session, workspace_id: uuid.UUID, account_id: uuid.UUID
) -> list[RelationRow]:
    return list(
        session.scalars(
            select(RelationRow).where(
                RelationRow.workspace_id == workspace_id, RelationRow.account_id == account_id
            )
        )
    )


def relations_of(
    session: Session, workspace_id: uuid.UUID, stakeholder_id: uuid.UUID
) -> list[RelationRow]:
    return list(
        session.scalars(
            select(RelationRow).where(
                RelationRow.workspace_id == workspace_id,
                or_(
                    RelationRow.source_id == stakeholder_id, RelationRow.target_id == stakeholder_id
                ),
            )
        )
    )


# --- roles --------------------------------------------------------------------------


def add_role_evidence(
    session: Session,
    workspace_id: uuid.UUID,
    stakeholder_id: uuid.UUID,
    role: str,
    scope: str,
    stance: str | None,
    item: EvidenceItem,
) -> RoleRow:
    """Extraction found evidence of a role. A role a rep removed stays removed (the
    evidence is still kept)."""
    row = session.scalar(
        select(RoleRow)
        .where(
            RoleRow.stakeholder_id == stakeholder_id, RoleRow.role == role, RoleRow.scope == scope
        )
        .with_for_update()
    )
    if row is None:
        row = RoleRow(
            workspace_id=workspace_id,
            stakeholder_id=stakeholder_id,
            role=role,
            scope=scope,
            stance=stance,
            confidence=0.0,
            evidence=[],
            source="extraction",
        )
        session.add(row)
    row.evidence = _merge_evidence(list(row.evidence), item)
    if row.source == "extraction":
        row.confidence = role_confidence(row.evidence)
        row.stance = stance or row.stance
    session.flush()
    return row


def set_role_by_rep(
    session: Session,
    workspace_id: uuid.UUID,
    stakeholder_id: uuid.UUID,
    role: str,
    scope: str,
    stance: str | None,
    actor: str,
    reason: str,
) -> RoleRow:
    row = session.scalar(
        select(RoleRow)
        .where(
            RoleRow.stakeholder_id == stakeholder_id, RoleRow.role == role, RoleRow.scope == scope
        )
        .with_for_update()
    )
    if row is None:
        row = RoleRow(
            workspace_id=workspace_id,
            stakeholder_id=stakeholder_id,
            role=role,
            scope=scope,
            evidence=[],
        )
        session.add(row)
    row.source, row.confidence, row.stance = "rep", 1.0, stance
    row.created_by, row.reason = actor, reason
    row.removed_at = row.removed_by = row.removal_reason = None
    session.flush()
    return row


def remove_role(
    session: Session, workspace_id: uuid.UUID, role_id: uuid.UUID, actor: str, reason: str
) -> RoleRow | None:
    row = session.scalar(
        select(RoleRow)
        .where(RoleRow.workspace_id == workspace_id, RoleRow.id == role_id)
        .with_for_update()
    )
    if row is None:
        return None
    row.removed_at, row.removed_by, row.removal_reason = utcnow(), actor, reason
    session.flush()
    return row


def role_confidence(evidence: Sequence[dict[str, Any]]) -> float:
    """Support for the role, discounted by evidence against it ("the budget isn't
    mine"); a role only ever denied has confidence 0 and is not held."""
    support = noisy_or([e["confidence"] for e in evidence if not e.get("against")])
    against = noisy_or([e["confidence"] for e in evidence if e.get("against")])
    return round(support * (1.0 - against), 4)


def roles_of(
    session: Session,
    stakeholder_ids: Sequence[uuid.UUID],
    *,
    include_removed: bool = False,
    include_denied: bool = False,
) -> list[RoleRow]:
    """The roles people hold; `include_denied` adds the rows that only carry evidence
    against a role (the scores read those)."""
    if not stakeholder_ids:
        return []
    query = select(RoleRow).where(RoleRow.stakeholder_id.in_(stakeholder_ids))
    if not include_removed:
        query = query.where(RoleRow.removed_at.is_(None))
    if not include_denied:
        query = query.where(RoleRow.confidence > 0)
    return list(session.scalars(query.order_by(RoleRow.created_at)))


# --- scores and overrides -----------------------------------------------------------


def active_overrides(
    session: Session, stakeholder_ids: Sequence[uuid.UUID]
) -> list[ScoreOverrideRow]:
    if not stakeholder_ids:
        return []
    return list(
        session.scalars(
            select(ScoreOverrideRow)
            .where(
                ScoreOverrideRow.stakeholder_id.in_(stakeholder_ids),
                ScoreOverrideRow.cleared_at.is_(None),
            )
            .order_by(ScoreOverrideRow.created_at)
        )
    )


def add_override(session: Session, **values: Any) -> ScoreOverrideRow:
    session.execute(
        update(ScoreOverrideRow)
        .where(
            ScoreOverrideRow.stakeholder_id == values["stakeholder_id"],
            ScoreOverrideRow.score == values["score"],
            ScoreOverrideRow.cleared_at.is_(None),
        )
        .values(
            cleared_at=utcnow(),
            cleared_by=values["actor"],
            clear_reason="replaced by a newer override",
        )
    )
    row = ScoreOverrideRow(**values)
    session.add(row)
    session.flush()
    return row


def clear_override(
    session: Session, stakeholder_id: uuid.UUID, score: str, actor: str, reason: str
) -> int:
    result = session.execute(
        update(ScoreOverrideRow)
        .where(
            ScoreOverrideRow.stakeholder_id == stakeholder_id,
            ScoreOverrideRow.score == score,
            ScoreOverrideRow.cleared_at.is_(None),
        )
        .values(cleared_at=utcnow(), cleared_by=actor, clear_reason=reason)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def override_history(session: Session, stakeholder_id: uuid.UUID) -> list[ScoreOverrideRow]:
    return list(
        session.scalars(
            select(ScoreOverrideRow)
            .where(ScoreOverrideRow.stakeholder_id == stakeholder_id)
            .order_by(ScoreOverrideRow.created_at.desc())
        )
    )


def put_scores(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    base = insert(ScoreRow)
    statement = base.on_conflict_do_update(
        index_elements=["stakeholder_id"],
        set_={
            name: base.excluded[name]
            for name in (
                "decision_power",
                "influence",
                "relationship_strength",
                "evidence",
                "computed_at",
                "account_id",
            )
        },
    )
    session.execute(statement, list(rows))  # executemany: no limit on the number of people


def scores_of(session: Session, stakeholder_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, ScoreRow]:
    if not stakeholder_ids:
        return {}
    rows = session.scalars(select(ScoreRow).where(ScoreRow.stakeholder_id.in_(stakeholder_ids)))
    return {row.stakeholder_id: row for row in rows}


def move_stakeholder_references(
    session: Session, source: uuid.UUID, into: uuid.UUID, when: datetime
) -> None:
    """Re-point everything of `source` at `into` (a merge); duplicates collapse."""
    for relation in session.scalars(
        select(RelationRow).where(
            or_(RelationRow.source_id == source, RelationRow.target_id == source)
        )
    ).all():
        new_source = into if relation.source_id == source else relation.source_id
        new_target = into if relation.target_id == source else relation.target_id
        if new_source == new_target:
            session.delete(relation)
            continue
        clash = session.scalar(
            select(RelationRow).where(
                RelationRow.source_id == new_source,
                RelationRow.target_id == new_target,
                RelationRow.type == relation.type,
                RelationRow.id != relation.id,
            )
        )
        if clash is not None:
            for item in relation.evidence:
                clash.evidence = _merge_evidence(
                    list(clash.evidence), EvidenceItem.model_validate(item)
                )
            clash.weight = noisy_or([e["confidence"] for e in clash.evidence])
            session.delete(relation)
        else:
            relation.source_id, relation.target_id = new_source, new_target
        session.flush()
    for role in session.scalars(select(RoleRow).where(RoleRow.stakeholder_id == source)).all():
        clash_role = session.scalar(
            select(RoleRow).where(
                RoleRow.stakeholder_id == into,
                RoleRow.role == role.role,
                RoleRow.scope == role.scope,
            )
        )
        if clash_role is not None:
            for item in role.evidence:
                clash_role.evidence = _merge_evidence(
                    list(clash_role.evidence), EvidenceItem.model_validate(item)
                )
            session.delete(role)
        else:
            role.stakeholder_id = into
        session.flush()
    for interaction in session.scalars(
        select(InteractionRow).where(InteractionRow.stakeholder_id == source)
    ).all():
        duplicate = session.scalar(
            select(InteractionRow).where(
                InteractionRow.stakeholder_id == into,
                InteractionRow.conversation_id == interaction.conversation_id,
            )
        )
        if duplicate is not None:
            duplicate.participated = duplicate.participated or interaction.participated
            duplicate.spoke = duplicate.spoke or interaction.spoke
            duplicate.words += interaction.words
            session.delete(interaction)
        else:
            interaction.stakeholder_id = into
        session.flush()
    session.execute(
        update(ScoreOverrideRow)
        .where(ScoreOverrideRow.stakeholder_id == source)
        .values(stakeholder_id=into)
    )
    session.execute(delete(ScoreRow).where(ScoreRow.stakeholder_id == source))


def our_people_names(session: Session, workspace_id: uuid.UUID) -> list[str]:
    return list(
        session.scalars(select(OurPersonRow.name).where(OurPersonRow.workspace_id == workspace_id))
    )


# --- imports (bulk) -------------------------------------------------------------------


def upsert_imported_relations(
    session: Session,
    workspace_id: uuid.UUID,
    account_id: uuid.UUID,
    edges: dict[tuple[uuid.UUID, uuid.UUID, str], float],
) -> None:
    if not edges:
        return
    now = utcnow()
    statement = insert(RelationRow)
    statement = statement.on_conflict_do_update(
        index_elements=["source_id", "target_id", "type"],
        set_={"weight": statement.excluded.weight, "updated_at": now},
    )
    evidence = [{"quote": None, "confidence": 1.0, "detail": "imported tie", "source": "import"}]
    session.execute(
        statement,
        [
            {
                "id": uuid.uuid4(),
                "workspace_id": workspace_id,
                "account_id": account_id,
                "source_id": s,
                "target_id": t,
                "type": kind,
                "weight": weight,
                "source": "import",
                "evidence": evidence,
                "updated_at": now,
            }
            for (s, t, kind), weight in edges.items()
        ],
    )


def participants_of(
    session: Session, conversation_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, set[uuid.UUID]]:
    """Conversation -> the customer people who took part in it."""
    rows = session.execute(
        select(InteractionRow.conversation_id, InteractionRow.stakeholder_id).where(
            InteractionRow.conversation_id.in_(conversation_ids),
            InteractionRow.participated.is_(True),
        )
    )
    people: dict[uuid.UUID, set[uuid.UUID]] = {}
    for conversation_id, stakeholder_id in rows:
        people.setdefault(conversation_id, set()).add(stakeholder_id)
    return people
