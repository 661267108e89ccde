"""Record changes for every consumer that must see them."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy.orm import Session

from connectors.sync.repository import enabled_connectors
from core.outbox import repository
from core.outbox.models import GRAPH_CONSUMER, SCORING_CONSUMER, Change, EntityType

GRAPH_ENTITIES = {EntityType.ACCOUNT, EntityType.STAKEHOLDER, EntityType.ACCOUNT_GRAPH}
# What a CRM shows: accounts, people (scores and roles arrive with ACCOUNT_GRAPH, after
# each rescoring), and deals with their action items.
CRM_ENTITIES = {
    EntityType.ACCOUNT,
    EntityType.STAKEHOLDER,
    EntityType.OPPORTUNITY,
    EntityType.ACCOUNT_GRAPH,
}


def _crm_consumers(session: Session, workspace_id: UUID) -> list[str]:
    """The sync consumers of the workspace's enabled CRM connections (cached for the
    session: a unit of work records many changes)."""
    cache: dict[UUID, list[str]] = session.info.setdefault("crm_consumers", {})
    if workspace_id not in cache:
        cache[workspace_id] = [f"crm:{name}" for name in enabled_connectors(session, workspace_id)]
    return cache[workspace_id]


def consumers_for(session: Session, change: Change) -> list[str]:
    """Which workers must see a change: the graph projector the map's records, the scoring
    worker score requests, each enabled CRM connection what that CRM shows."""
    consumers = []
    if change.entity_type in GRAPH_ENTITIES:
        consumers.append(GRAPH_CONSUMER)
    if change.entity_type is EntityType.ACCOUNT_SCORES:
        consumers.append(SCORING_CONSUMER)
    if change.entity_type in CRM_ENTITIES:
        consumers.extend(_crm_consumers(session, change.workspace_id))
    return consumers


def record_changes(session: Session, changes: Sequence[Change]) -> None:
    """Write outbox rows for `changes` in the caller's transaction."""
    by_consumers: dict[tuple[str, ...], list[Change]] = {}
    for change in changes:
        by_consumers.setdefault(tuple(consumers_for(session, change)), []).append(change)
    for consumers, group in by_consumers.items():
        repository.enqueue(session, group, consumers)
