"""Record changes for every consumer that must see them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from app.outbox import repository
from app.outbox.models import GRAPH_CONSUMER, SCORING_CONSUMER, Change, EntityType

GRAPH_ENTITIES = {EntityType.ACCOUNT, EntityType.STAKEHOLDER, EntityType.ACCOUNT_GRAPH}


def consumers_for(session: Session, change: Change) -> list[str]:
    """Which workers must see a change: the graph projector the map's records, the scoring
    worker score requests. CRM connectors join here when configured."""
    consumers = []
    if change.entity_type in GRAPH_ENTITIES:
        consumers.append(GRAPH_CONSUMER)
    if change.entity_type is EntityType.ACCOUNT_SCORES:
        consumers.append(SCORING_CONSUMER)
    return consumers


def record_changes(session: Session, changes: Sequence[Change]) -> None:
    """Write outbox rows for `changes` in the caller's transaction."""
    by_consumers: dict[tuple[str, ...], list[Change]] = {}
    for change in changes:
        by_consumers.setdefault(tuple(consumers_for(session, change)), []).append(change)
    for consumers, group in by_consumers.items():
        repository.enqueue(session, group, consumers)
