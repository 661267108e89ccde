"""How Postgres records look as graph nodes (the one mapping, used by the projector and
by rebuild)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy.orm import Session

from graph.models import AccountNode, StakeholderNode
from graph.repository import WorkspaceGraph
from plans import repository as plans_repository
from plans.models import Account, Stakeholder


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
            "emails": list(stakeholder.emails),
            "version": stakeholder.version,
            "updated_at": stakeholder.updated_at.isoformat(),
        },
    )


def project_accounts(session: Session, graph: WorkspaceGraph, ids: Sequence[UUID]) -> None:
    """Make the graph show the current Postgres state of accounts `ids`."""
    workspace_id = UUID(graph.workspace_id)
    found = {a.id: a for a in plans_repository.accounts_by_ids(session, workspace_id, ids)}
    live = [a for a in found.values() if a.deleted_at is None]
    graph.upsert_accounts([account_node(a) for a in live])
    gone = [i for i in ids if i not in found or found[i].deleted_at is not None]
    if gone:
        graph.delete_accounts(gone)


def project_stakeholders(session: Session, graph: WorkspaceGraph, ids: Sequence[UUID]) -> None:
    workspace_id = UUID(graph.workspace_id)
    found = {s.id: s for s in plans_repository.stakeholders_by_ids(session, workspace_id, ids)}
    live = [s for s in found.values() if s.deleted_at is None]
    graph.upsert_stakeholders([stakeholder_node(s) for s in live])
    gone = [i for i in ids if i not in found or found[i].deleted_at is not None]
    if gone:
        graph.delete_stakeholders(gone)
