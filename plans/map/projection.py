"""How Postgres records look as graph nodes (the one mapping, used by the projector and
by rebuild)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TypeVar
from uuid import UUID, uuid5

from sqlalchemy.orm import Session

from graph.models import AccountNode, EdgeRow, GraphValue, OurPersonNode, RelType, StakeholderNode
from graph.repository import WorkspaceGraph
from plans import repository as plans_repository
from plans.map import repository as map_repository
from plans.map.tables import InteractionRow, RelationRow
from plans.models import Account, Stakeholder

Projected = TypeVar("Projected", Account, Stakeholder)
Node = TypeVar("Node", AccountNode, StakeholderNode)


def account_node(account: Account) -> AccountNode:
    return AccountNode(
        account.id,
        {
            "name": account.name,
            "domain": account.domain,
            "industry": account.industry,
            "version": account.version,
            "updated_at": account.updated_at.isoformat(),
        },
    )


def stakeholder_node(stakeholder: Stakeholder) -> StakeholderNode:
    return StakeholderNode(
        stakeholder.id,
        stakeholder.account_id,
        {
            "full_name": stakeholder.full_name,
            "title": stakeholder.title,
            "department": stakeholder.department,
            "seniority": stakeholder.seniority,
            "account_id": str(stakeholder.account_id),
            "emails": list(stakeholder.emails),
            "version": stakeholder.version,
            "updated_at": stakeholder.updated_at.isoformat(),
        },
    )


def project_accounts(session: Session, graph: WorkspaceGraph, ids: Sequence[UUID]) -> None:
    """Make the graph show the current Postgres state of accounts `ids`."""
    accounts = plans_repository.accounts_by_ids(session, UUID(graph.workspace_id), ids)
    _project(ids, accounts, account_node, graph.upsert_accounts, graph.delete_accounts)


def project_stakeholders(session: Session, graph: WorkspaceGraph, ids: Sequence[UUID]) -> None:
    """Make the graph show the current Postgres state of people `ids`."""
    people = plans_repository.stakeholders_by_ids(session, UUID(graph.workspace_id), ids)
    _project(ids, people, stakeholder_node, graph.upsert_stakeholders, graph.delete_stakeholders)


def _project(
    ids: Sequence[UUID],
    records: Sequence[Projected],
    node_of: Callable[[Projected], Node],
    upsert: Callable[[list[Node]], object],
    delete: Callable[[list[UUID]], object],
) -> None:
    """Upsert the records of `ids` that still exist; delete the nodes of the others (soft
    deleted, or never there)."""
    found = {record.id: record for record in records}
    upsert([node_of(record) for record in found.values() if record.deleted_at is None])
    gone = [i for i in ids if i not in found or found[i].deleted_at is not None]
    if gone:
        delete(gone)


def project_account_graphs(
    session: Session, graph: WorkspaceGraph, account_ids: Sequence[UUID]
) -> None:
    """Make the graph show the whole political map of each account as Postgres has it:
    stakeholders with roles and scores, our people, and every edge; edges no longer in
    Postgres are removed."""
    workspace_id = UUID(graph.workspace_id)
    for account_id in account_ids:
        people = plans_repository.live_stakeholders(session, workspace_id, account_id)
        ids = [p.id for p in people]
        roles: dict[UUID, list[str]] = {}
        stances: dict[UUID, str] = {}
        for role in map_repository.roles_of(session, ids):
            roles.setdefault(role.stakeholder_id, [])
            if role.role not in roles[role.stakeholder_id]:
                roles[role.stakeholder_id].append(role.role)
            if role.stance:
                stances[role.stakeholder_id] = role.stance
        scores = map_repository.scores_of(session, ids)
        nodes = []
        for person in people:
            node = stakeholder_node(person)
            score = scores.get(person.id)
            node.properties.update(
                {
                    "roles": sorted(roles.get(person.id, [])),
                    "stance": stances.get(person.id),
                    "decision_power": score.decision_power if score else None,
                    "influence": score.influence if score else None,
                    "relationship_strength": score.relationship_strength if score else None,
                }
            )
            nodes.append(node)
        graph.upsert_stakeholders(nodes)
        stale = [
            UUID(node["id"])
            for node in graph.account_nodes(account_id)
            if UUID(node["id"]) not in set(ids)
        ]
        if stale:
            graph.delete_stakeholders(stale)
        edges = [
            _relation_edge(r)
            for r in map_repository.relations_of_account(session, workspace_id, account_id)
        ]
        interactions = map_repository.interactions_of_account(session, workspace_id, account_id)
        contact_edges, our_ids = _interaction_edges(interactions, set(ids), account_id)
        ours = map_repository.our_people(session, workspace_id, sorted(our_ids))
        graph.upsert_our_people(
            [
                OurPersonNode(o.id, {"name": o.name, "email": o.email, "title": o.title})
                for o in ours
            ]
        )
        edges += contact_edges
        edges = [
            e
            for e in edges
            if e.target in set(ids) and (e.type is RelType.INTERACTS_WITH or e.source in set(ids))
        ]
        graph.upsert_edges(edges)
        graph.delete_stale_account_edges(account_id, [e.id for e in edges])


def edge_weight_properties(weight: float, account_id: UUID) -> dict[str, GraphValue]:
    bounded = min(1.0, max(weight, 1e-6))
    return {
        "weight": round(bounded, 4),
        "cost": round(-math.log(bounded), 6),
        "account_id": str(account_id),
    }


def _relation_edge(relation: RelationRow) -> EdgeRow:
    properties = edge_weight_properties(relation.weight, relation.account_id)
    properties["evidence_ids"] = [
        str(e["signal_id"]) for e in relation.evidence if e.get("signal_id")
    ]
    properties["evidence_count"] = len(relation.evidence)
    properties["origin"] = relation.source
    return EdgeRow(
        relation.id, RelType(relation.type), relation.source_id, relation.target_id, properties
    )


def _interaction_edges(
    interactions: Sequence[InteractionRow], live: set[UUID], account_id: UUID
) -> tuple[list[EdgeRow], set[UUID]]:
    """One INTERACTS_WITH edge per (our person, stakeholder) pair: its weight grows with
    the conversations they shared, 1 - exp(-n / 2)."""
    shared: dict[tuple[UUID, UUID], list[InteractionRow]] = {}
    for interaction in interactions:
        if not interaction.participated or interaction.stakeholder_id not in live:
            continue
        for our_id in interaction.our_people:
            shared.setdefault((UUID(our_id), interaction.stakeholder_id), []).append(interaction)
    edges = []
    for (ours, stakeholder), together in shared.items():
        properties = edge_weight_properties(1 - math.exp(-len(together) / 2), account_id)
        properties["conversations"] = len(together)
        properties["last"] = max(i.occurred_at for i in together).isoformat()
        edges.append(
            EdgeRow(
                uuid5(ours, str(stakeholder)), RelType.INTERACTS_WITH, ours, stakeholder, properties
            )
        )
    return edges, {ours for ours, _ in shared}
