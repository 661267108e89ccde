"""/accounts/{id}/...: the political map of one account, answered from the graph."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from app.api.deps import Reader, SessionDep, Writer, get_runtime
from core.errors import InvalidInput
from graph.repository import Path, WorkspaceGraph
from plans import coverage
from plans import repository as stakeholders
from plans import service as accounts
from plans.map import political
from plans.map.org_import import OrgImport, import_org
from plans.map.scores import recompute_account

router = APIRouter(prefix="/accounts", tags=["political map"])

ROLE_TARGETS = {"decision_maker", "economic_buyer", "champion", "blocker", "influencer"}


class NodeOut(BaseModel):
    id: str
    kind: str
    name: str | None
    title: str | None = None
    department: str | None = None
    seniority: str | None = None
    roles: list[str] = []
    stance: str | None = None
    decision_power: float | None = None
    influence: float | None = None
    relationship_strength: float | None = None


class EdgeOut(BaseModel):
    id: str
    source: str
    target: str
    type: str
    weight: float | None
    evidence_count: int = 0
    conversations: int | None = None


class GraphOut(BaseModel):
    account_id: UUID
    nodes: list[NodeOut]
    edges: list[EdgeOut]


class PathOut(BaseModel):
    nodes: list[dict[str, Any]]
    weights: list[float]
    hops: int
    strength: float


class PathPair(BaseModel):
    source: dict[str, Any]
    target: dict[str, Any]
    shortest: PathOut | None
    strongest: PathOut | None


def _graph(request: Request, workspace_id: UUID) -> WorkspaceGraph:
    return WorkspaceGraph(get_runtime(request).graph, workspace_id)


def _map(
    request: Request, session: Any, workspace_id: UUID, account_id: UUID
) -> political.AccountMap:
    accounts.get_account(session, workspace_id, account_id)
    return political.account_map(_graph(request, workspace_id), account_id)


def _named(drawn: political.AccountMap, node_id: str) -> dict[str, Any]:
    node = drawn.node(node_id) or {}
    return {
        "id": node_id,
        "name": node.get("name"),
        "title": node.get("title"),
        "roles": node.get("roles", []),
    }


def _path(drawn: political.AccountMap, path: Path | None) -> PathOut | None:
    if path is None:
        return None
    return PathOut(
        nodes=[_named(drawn, node) for node in path.ids],
        weights=list(path.weights),
        hops=len(path.weights),
        strength=round(path.strength, 4),
    )


def _resolve(drawn: political.AccountMap, spec: str, parameter: str) -> list[str]:
    """A stakeholder id, or a role ("champion", "economic_buyer", ...) meaning everyone with it."""
    if spec in ROLE_TARGETS:
        found = [n["id"] for n in drawn.with_role(spec)]
        if not found:
            raise InvalidInput(f"nobody in this account has the role {spec!r} yet", field=parameter)
        return found
    node = drawn.node(spec)
    if node is None or node["kind"] != "stakeholder":
        raise InvalidInput(
            f"{spec!r} is neither a stakeholder of this account nor one of {sorted(ROLE_TARGETS)}",
            field=parameter,
        )
    return [spec]


@router.get("/{account_id}/graph")
def account_graph(
    account_id: UUID,
    principal: Reader,
    session: SessionDep,
    request: Request,
    role: Annotated[
        list[str] | None, Query(description="keep people with any of these roles")
    ] = None,
    department: Annotated[str | None, Query(max_length=100)] = None,
    min_influence: Annotated[float | None, Query(ge=0, le=10)] = None,
    min_decision_power: Annotated[float | None, Query(ge=0, le=10)] = None,
) -> GraphOut:
    """Nodes (people with roles, stance and scores; our people) and typed, weighted edges,
    ready to draw."""
    drawn = political.filtered(
        _map(request, session, principal.workspace_id, account_id),
        roles=role,
        department=department,
        min_influence=min_influence,
        min_decision_power=min_decision_power,
    )
    return GraphOut(
        account_id=account_id,
        nodes=[NodeOut(**n) for n in drawn.nodes],
        edges=[EdgeOut(**e) for e in drawn.edges],
    )


@router.get("/{account_id}/org-chart")
def org_chart(
    account_id: UUID, principal: Reader, session: SessionDep, request: Request
) -> list[dict[str, Any]]:
    """The reports-to tree (a forest when several people report to nobody known)."""
    return political.org_chart(_map(request, session, principal.workspace_id, account_id))


@router.get("/{account_id}/paths")
def paths(
    account_id: UUID,
    principal: Reader,
    session: SessionDep,
    request: Request,
    source: Annotated[
        str, Query(alias="from", description="stakeholder id, or a role such as champion")
    ] = "champion",
    target: Annotated[
        str, Query(alias="to", description="stakeholder id, or decision_maker / economic_buyer")
    ] = "economic_buyer",
) -> list[PathPair]:
    """For each (from, to) pair: the shortest path (fewest hops) and the strongest (the
    largest product of edge strengths)."""
    drawn = _map(request, session, principal.workspace_id, account_id)
    sources = _resolve(drawn, source, "query.from")
    targets = _resolve(drawn, target, "query.to")
    answers = political.paths(_graph(request, principal.workspace_id), account_id, sources, targets)
    return [
        PathPair(
            source=_named(drawn, a.source),
            target=_named(drawn, a.target),
            shortest=_path(drawn, a.shortest),
            strongest=_path(drawn, a.strongest),
        )
        for a in answers
    ]


@router.get("/{account_id}/blockers")
def blockers(
    account_id: UUID,
    principal: Reader,
    session: SessionDep,
    request: Request,
    hops: Annotated[int, Query(ge=1, le=4)] = 2,
) -> list[dict[str, Any]]:
    """Blockers within `hops` of each decision maker or economic buyer, and who could
    neutralise each (people who influence or are allied with them, whom they report or
    defer to, and our people who know them)."""
    drawn = _map(request, session, principal.workspace_id, account_id)
    found = political.blockers_near_deciders(
        _graph(request, principal.workspace_id), account_id, hops
    )
    return [
        {
            "decision_maker": _named(drawn, decider),
            "blockers": [
                {
                    **_named(drawn, b.id),
                    "hops": b.hops,
                    "neutralisers": [
                        {**_named(drawn, n["id"]), "via": n["via"], "weight": n["weight"]}
                        for n in b.neutralisers
                    ],
                }
                for b in items
            ],
        }
        for decider, items in found.items()
    ]


@router.get("/{account_id}/warm-intros")
def warm_intros(
    account_id: UUID,
    principal: Reader,
    session: SessionDep,
    request: Request,
    target: Annotated[
        str, Query(description="stakeholder id, or a role such as economic_buyer")
    ] = "economic_buyer",
) -> list[dict[str, Any]]:
    """From the people on our side who know someone, the strongest way to each target."""
    drawn = _map(request, session, principal.workspace_id, account_id)
    graph = _graph(request, principal.workspace_id)
    answers = []
    for goal in _resolve(drawn, target, "query.target"):
        intros = political.warm_intros(graph, account_id, drawn, goal)
        answers.append(
            {
                "target": _named(drawn, goal),
                "intros": [
                    {
                        "from": _named(drawn, i.our_person),
                        "path": [_named(drawn, n) for n in i.path],
                        "strength": round(i.strength, 4),
                    }
                    for i in intros
                ],
            }
        )
    return answers


@router.get("/{account_id}/coverage-gaps")
def coverage_gaps(
    account_id: UUID, principal: Reader, session: SessionDep, request: Request
) -> dict[str, Any]:
    """Decision makers and economic buyers with no strong relationship, and open
    opportunities whose conversations involved at most one person on the customer side."""
    drawn = _map(request, session, principal.workspace_id, account_id)
    contacts = coverage.contacts_per_opportunity(session, principal.workspace_id, account_id)
    names = {
        s.id: s.full_name
        for s in stakeholders.stakeholders_by_ids(
            session, principal.workspace_id, [i for c in contacts.values() for i in c]
        )
    }
    return {
        "uncovered_deciders": political.uncovered_deciders(drawn),
        "single_threaded_opportunities": [
            {"opportunity_id": str(opportunity), "contacts": [names.get(c) for c in people]}
            for opportunity, people in contacts.items()
            if len(people) <= 1
        ],
    }


@router.post("/{account_id}/org-import")
def org_import(
    account_id: UUID, body: OrgImport, principal: Writer, session: SessionDep, request: Request
) -> dict[str, int]:
    """Import people (with titles and departments) and the ties between them, e.g. an org
    chart export; importing again updates in place. Scores are recomputed at once."""
    accounts.get_account(session, principal.workspace_id, account_id)
    counts = import_org(session, principal.workspace_id, account_id, body)
    recompute_account(
        session, principal.workspace_id, account_id, get_runtime(request).relationship_weights
    )
    return counts
