"""Graph use cases that span both stores."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy.orm import Session

from graph.models import NodeLabel
from graph.port import GraphStore
from graph.repository import WorkspaceGraph, batched
from plans import repository as plans_repository
from plans.map.projection import project_account_graphs, project_accounts, project_stakeholders

REBUILD_BATCH = 1_000


@dataclass(frozen=True)
class RebuildReport:
    accounts: int
    stakeholders: int


def rebuild_workspace(session: Session, store: GraphStore, workspace_id: UUID) -> RebuildReport:
    """Replace the workspace's graph with one projected from Postgres alone.

    Also how a deployment moves from the embedded graph to Neo4j: point GRAPH_URL at the
    new store and rebuild every workspace.
    """
    store.ensure_schema()
    graph = WorkspaceGraph(store, workspace_id)
    graph.clear()
    account_ids = plans_repository.all_account_ids(session, workspace_id)
    for batch in batched(account_ids, REBUILD_BATCH):
        project_accounts(session, graph, batch)
    stakeholder_ids = plans_repository.all_stakeholder_ids(session, workspace_id)
    for batch in batched(stakeholder_ids, REBUILD_BATCH):
        project_stakeholders(session, graph, batch)
    project_account_graphs(session, graph, account_ids)
    counts = graph.count_nodes()
    return RebuildReport(counts[NodeLabel.ACCOUNT], counts[NodeLabel.STAKEHOLDER])
