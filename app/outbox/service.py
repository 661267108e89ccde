"""Record changes for every consumer that must see them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from app.outbox import repository
from app.outbox.models import GRAPH_CONSUMER, Change


def consumers_for(session: Session, change: Change) -> list[str]:
    """The graph projector sees every change. CRM connectors join here when configured."""
    return [GRAPH_CONSUMER]


def record_changes(session: Session, changes: Sequence[Change]) -> None:
    """Write outbox rows for `changes` in the caller's transaction."""
    by_consumers: dict[tuple[str, ...], list[Change]] = {}
    for change in changes:
        by_consumers.setdefault(tuple(consumers_for(session, change)), []).append(change)
    for consumers, group in by_consumers.items():
        repository.enqueue(session, group, consumers)
