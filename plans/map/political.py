"""The questions a seller asks of an account's political map, answered from the graph."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from graph.models import RelType
from graph.repository import Path, WorkspaceGraph

DECIDERS = ("decision_maker", "economic_buyer")
STRONG_RELATIONSHIP = 5.0  # relationship strength (0-10) that counts as strong
STRONG_CONTACT = 0.5  # INTERACTS_WITH weight that counts as a real line in


@dataclass
class AccountMap:
    """An account's graph as drawn: nodes (customer people and our people) and edges."""

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]

    def node(self, node_id: str) -> dict[str, Any] | None:
        return next((n for n in self.nodes if n["id"] == node_id), None)

    def with_role(self, *roles: str) -> list[dict[str, Any]]:
        return [
            n for n in self.nodes if n["kind"] == "stakeholder" and set(n["roles"]) & set(roles)
        ]


def account_map(graph: WorkspaceGraph, account_id: UUID) -> AccountMap:
    nodes = [
        {
            "id": n["id"],
            "kind": "stakeholder",
            "name": n.get("full_name"),
            "title": n.get("title"),
            "department": n.get("department"),
            "seniority": n.get("seniority"),
            "roles": list(n.get("roles") or []),
            "stance": n.get("stance"),
            "decision_power": n.get("decision_power"),
            "influence": n.get("influence"),
            "relationship_strength": n.get("relationship_strength"),
        }
        for n in graph.account_nodes(account_id)
    ]
    nodes += [
        {
            "id": o["id"],
            "kind": "our_person",
            "name": o["name"],
            "title": o.get("title"),
            "roles": [],
        }
        for o in graph.account_our_people(account_id)
    ]
    edges = [
        {
            "id": e["id"],
            "source": e["source"],
            "target": e["target"],
            "type": e["type"],
            "weight": e.get("weight"),
            "evidence_count": e.get("evidence_count", 0),
            "conversations": e.get("conversations"),
        }
        for e in graph.account_edges(account_id)
    ]
    return AccountMap(nodes, edges)


def filtered(
    drawn: AccountMap,
    *,
    roles: list[str] | None = None,
    department: str | None = None,
    min_influence: float | None = None,
    min_decision_power: float | None = None,
) -> AccountMap:
    """Keep stakeholders passing every filter (our people stay if linked to one kept)."""

    def keep(node: dict[str, Any]) -> bool:
        if node["kind"] != "stakeholder":
            return True
        if roles and not set(node["roles"]) & set(roles):
            return False
        if department and (node.get("department") or "").lower() != department.lower():
            return False
        if min_influence is not None and (node.get("influence") or 0) < min_influence:
            return False
        return not (
            min_decision_power is not None
            and (node.get("decision_power") or 0) < min_decision_power
        )

    kept = {n["id"] for n in drawn.nodes if n["kind"] == "stakeholder" and keep(n)}
    edges = [
        e
        for e in drawn.edges
        if e["target"] in kept and (e["source"] in kept or e["type"] == RelType.INTERACTS_WITH)
    ]
    linked = kept | {e["source"] for e in edges}
    return AccountMap([n for n in drawn.nodes if n["id"] in linked], edges)


def org_chart(drawn: AccountMap) -> list[dict[str, Any]]:
    """The reports-to forest: each root with its reports, recursively (cycles cut)."""
    managers: dict[str, str] = {}
    for edge in drawn.edges:
        if edge["type"] == RelType.REPORTS_TO and edge["source"] not in managers:
            managers[edge["source"]] = edge["target"]
    people = {n["id"]: n for n in drawn.nodes if n["kind"] == "stakeholder"}
    children: dict[str, list[str]] = {}
    for person, manager in managers.items():
        children.setdefault(manager, []).append(person)

    def tree(node_id: str, seen: frozenset[str]) -> dict[str, Any]:
        node = people[node_id]
        kids = [k for k in children.get(node_id, []) if k not in seen and k in people]
        return {
            "id": node_id,
            "name": node["name"],
            "title": node.get("title"),
            "reports": [
                tree(k, seen | {k}) for k in sorted(kids, key=lambda k: people[k]["name"] or "")
            ],
        }

    roots = [p for p in people if p not in managers or managers[p] not in people]
    in_cycles = [p for p in people if p in managers and not _reaches_root(p, managers, people)]
    return [
        tree(r, frozenset({r}))
        for r in sorted(roots + in_cycles[:1], key=lambda r: people[r]["name"] or "")
    ]


def _reaches_root(person: str, managers: dict[str, str], people: dict[str, Any]) -> bool:
    seen = set()
    while person in managers and managers[person] in people:
        if person in seen:
            return False
        seen.add(person)
        person = managers[person]
    return True


@dataclass
class PathAnswer:
    source: str
    target: str
    shortest: Path | None
    strongest: Path | None


def paths(
    graph: WorkspaceGraph, account_id: UUID, sources: list[str], targets: list[str]
) -> list[PathAnswer]:
    answers = []
    for source in sources:
        for target in targets:
            if source == target:
                continue
            shortest = graph.path(account_id, UUID(source), UUID(target), strongest=False)
            strongest = graph.path(account_id, UUID(source), UUID(target), strongest=True)
            answers.append(PathAnswer(source, target, shortest, strongest))
    return answers


@dataclass
class Blocker:
    id: str
    hops: int
    neutralisers: list[dict[str, Any]] = field(default_factory=list)


def blockers_near_deciders(
    graph: WorkspaceGraph, account_id: UUID, hops: int
) -> dict[str, list[Blocker]]:
    found: dict[str, list[Blocker]] = {}
    for row in graph.blockers_near_deciders(account_id, hops):
        found.setdefault(row["decision_maker"], []).append(Blocker(row["blocker"], row["hops"]))
    blocker_ids = sorted({b.id for items in found.values() for b in items})
    helpers: dict[str, list[dict[str, Any]]] = {}
    for row in graph.neutralisers(blocker_ids) if blocker_ids else []:
        helpers.setdefault(row["blocker"], []).append(
            {"id": row["id"], "via": row["via"], "weight": row["weight"]}
        )
    for items in found.values():
        for blocker in items:
            blocker.neutralisers = helpers.get(blocker.id, [])
    return found


@dataclass
class WarmIntro:
    our_person: str
    path: list[str]  # our person, then stakeholders to the target
    strength: float


def warm_intros(
    graph: WorkspaceGraph, account_id: UUID, drawn: AccountMap, target: str, limit: int = 5
) -> list[WarmIntro]:
    """From each of our people: their strongest first contact, then the strongest way from
    that contact to the target. Strength is the product of every tie's weight."""
    to_target = {p.ids[-1]: p for p in graph.strongest_from(account_id, UUID(target))}
    intros: dict[str, WarmIntro] = {}
    for edge in drawn.edges:
        if edge["type"] != RelType.INTERACTS_WITH:
            continue
        ours, contact, weight = edge["source"], edge["target"], float(edge["weight"] or 0)
        if contact == target:
            candidate = WarmIntro(ours, [ours, target], weight)
        elif contact in to_target:
            onward = to_target[contact]
            candidate = WarmIntro(ours, [ours, *reversed(onward.ids)], weight * onward.strength)
        else:
            continue
        current = intros.get(ours)
        if current is None or (candidate.strength, -len(candidate.path)) > (
            current.strength,
            -len(current.path),
        ):
            intros[ours] = candidate  # stronger, or as strong and shorter
    return sorted(intros.values(), key=lambda i: -i.strength)[:limit]


def uncovered_deciders(drawn: AccountMap) -> list[dict[str, Any]]:
    """Decision makers and economic buyers none of our people has a strong line to."""
    lines: dict[str, float] = {}
    for edge in drawn.edges:
        if edge["type"] == RelType.INTERACTS_WITH:
            lines[edge["target"]] = max(lines.get(edge["target"], 0.0), float(edge["weight"] or 0))
    return [
        {**node, "best_contact_weight": lines.get(node["id"], 0.0)}
        for node in drawn.with_role(*DECIDERS)
        if (node.get("relationship_strength") or 0) < STRONG_RELATIONSHIP
        and lines.get(node["id"], 0.0) < STRONG_CONTACT
    ]
