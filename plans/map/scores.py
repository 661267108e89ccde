"""Recompute the three scores of every stakeholder of one account.

Reads the account's map from Postgres (the system of record, so a lagging graph cannot
skew a score), builds its influence graph for centrality, runs the pure score functions,
applies rep overrides, stores scores with their contributions, and asks for the account's
graph to be re-projected.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import asdict
from datetime import datetime

from sqlalchemy.orm import Session

from core.db import utcnow
from core.outbox.models import Change, EntityType
from core.outbox.service import record_changes
from plans import repository as stakeholders
from plans.map import repository
from plans.map.models import MapEdgeType, Role
from plans.map.tables import InteractionRow, RelationRow, RoleRow
from scoring.centrality import betweenness, influence_graph, pagerank
from scoring.decision_power import decision_power
from scoring.evidence import Interaction, Mention, Said, TrustSignal
from scoring.influence import influence
from scoring.models import Score, ScoreName, overridden
from scoring.relationship import RelationshipWeights, relationship_strength

DENIALS = {Said.NOT_BUDGET_HOLDER, Said.NOT_DECIDER}
ALLIANCE_SHARE = 0.5  # an alliance counts half, in both directions


def looks_to(relation: RelationRow) -> list[tuple[uuid.UUID, uuid.UUID, float]]:
    """Influence-graph edges u -> v ("u looks to v") that a relation implies."""
    kind = MapEdgeType(relation.type)
    if kind in (MapEdgeType.DEFERS_TO, MapEdgeType.REPORTS_TO):
        return [(relation.source_id, relation.target_id, relation.weight)]
    if kind is MapEdgeType.INFLUENCES:
        return [(relation.target_id, relation.source_id, relation.weight)]
    if kind is MapEdgeType.ALLIED_WITH:
        half = relation.weight * ALLIANCE_SHARE
        return [
            (relation.source_id, relation.target_id, half),
            (relation.target_id, relation.source_id, half),
        ]
    return []  # opposition moves nobody's influence up


def recompute_account(
    session: Session,
    workspace_id: uuid.UUID,
    account_id: uuid.UUID,
    weights: RelationshipWeights,
    now: datetime | None = None,
) -> int:
    """Recompute and store the scores of the account's stakeholders; return how many."""
    now = now or utcnow()
    people = stakeholders.live_stakeholders(session, workspace_id, account_id)
    ids = [p.id for p in people]
    relations = repository.relations_of_account(session, workspace_id, account_id)
    graph = influence_graph((edge for r in relations for edge in looks_to(r)), nodes=ids)
    ranks, brokers = pagerank(graph), betweenness(graph)
    mentions = _mentions(repository.roles_of(session, ids, include_denied=True), relations)
    reports: dict[uuid.UUID, int] = defaultdict(int)
    for relation in relations:
        if relation.type == MapEdgeType.REPORTS_TO:
            reports[relation.target_id] += 1
    interactions: dict[uuid.UUID, list[InteractionRow]] = defaultdict(list)
    for interaction in repository.interactions_of_account(session, workspace_id, account_id):
        interactions[interaction.stakeholder_id].append(interaction)
    overrides = {(o.stakeholder_id, o.score): o for o in repository.active_overrides(session, ids)}
    rows = []
    for person in people:
        scores = [
            decision_power(person.title, mentions[person.id], reports[person.id]),
            influence(
                person.title,
                mentions[person.id],
                ranks.get(person.id, 0.0),
                brokers.get(person.id, 0.0),
            ),
            relationship_strength(
                [_interaction(i) for i in interactions[person.id]],
                [_trust(t) for i in interactions[person.id] for t in i.trust],
                now,
                weights,
            ),
        ]
        final = {}
        for score in scores:
            override = overrides.get((person.id, score.name.value))
            if override is not None:
                score = overridden(
                    score.name, score, override.value, override.reason, override.actor
                )
            final[score.name] = score
        rows.append(
            {
                "stakeholder_id": person.id,
                "workspace_id": workspace_id,
                "account_id": account_id,
                "decision_power": final[ScoreName.DECISION_POWER].value,
                "influence": final[ScoreName.INFLUENCE].value,
                "relationship_strength": final[ScoreName.RELATIONSHIP_STRENGTH].value,
                "evidence": {name.value: _evidence(score) for name, score in final.items()},
                "computed_at": now,
            }
        )
    repository.put_scores(session, rows)
    record_changes(
        session, [Change(workspace_id, EntityType.ACCOUNT_GRAPH, account_id, origin="scoring")]
    )
    return len(rows)


def _mentions(roles: list[RoleRow], relations: list[RelationRow]) -> dict[uuid.UUID, list[Mention]]:
    found: dict[uuid.UUID, list[Mention]] = defaultdict(list)
    role_said = {
        Role.ECONOMIC_BUYER: Said.ECONOMIC_BUYER,
        Role.DECISION_MAKER: Said.AUTHORITY,
        Role.INFLUENCER: Said.INFLUENTIAL,
        Role.CHAMPION: Said.CHAMPION,
        Role.BLOCKER: Said.BLOCKER,
    }
    for role in roles:
        for item in role.evidence:
            said = (
                Said(item["said"])
                if item.get("said") in Said.__members__.values()
                else role_said.get(Role(role.role))
            )
            if item.get("against") and said not in DENIALS:
                continue  # evidence against a role only counts where a score reads it
            if said is not None:
                found[role.stakeholder_id].append(_mention(said, item))
        if role.source == "rep" and not role.evidence and Role(role.role) in role_said:
            found[role.stakeholder_id].append(
                Mention(role_said[Role(role.role)], f"set by {role.created_by}: {role.reason}", 1.0)
            )
    for relation in relations:
        if relation.type == MapEdgeType.DEFERS_TO:
            for item in relation.evidence:
                said = Said.SIGNS_OFF if item.get("said") == Said.SIGNS_OFF else Said.DEFERRED_TO
                found[relation.target_id].append(_mention(said, item))
    return found


def _mention(said: Said, item: dict[str, object]) -> Mention:
    conversation, signal = item.get("conversation_id"), item.get("signal_id")
    return Mention(
        said,
        str(item.get("quote")) if item.get("quote") else None,
        float(item.get("confidence", 0.5)),  # type: ignore[arg-type]
        uuid.UUID(str(conversation)) if conversation else None,
        uuid.UUID(str(signal)) if signal else None,
    )


def _interaction(row: InteractionRow) -> Interaction:
    return Interaction(
        row.occurred_at, row.channel, row.participated, row.spoke, row.words, row.conversation_id
    )


def _trust(item: dict[str, object]) -> TrustSignal:
    signal = item.get("signal_id")
    return TrustSignal(
        str(item.get("detail") or "trust"),
        str(item.get("quote") or ""),
        float(item.get("confidence", 0.5)),  # type: ignore[arg-type]
        None,
        uuid.UUID(str(signal)) if signal else None,
    )


def _evidence(score: Score) -> dict[str, object]:
    return {
        "value": score.value,
        "overridden": score.overridden,
        "contributions": [
            {k: (str(v) if isinstance(v, uuid.UUID) else v) for k, v in asdict(c).items()}
            for c in score.contributions
        ],
    }
