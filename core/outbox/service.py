"""Record changes for every consumer that must see them.

The kernel does not know who consumes the outbox: the runtime subscribes each consumer
(the graph projector, the scoring worker, the CRM connections) with the entity types it
needs, before any change is recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy.orm import Session

from core.outbox import repository
from core.outbox.models import Change, EntityType

# The consumer names of one workspace; called once per unit of work and workspace.
ConsumersOf = Callable[[Session, UUID], Sequence[str]]


@dataclass(frozen=True)
class Subscription:
    entity_types: frozenset[EntityType]
    consumers_of: ConsumersOf


_subscriptions: dict[str, Subscription] = {}


class NoConsumers(RuntimeError):
    """A change was recorded before the runtime subscribed anyone: it would reach nobody."""


def subscribe(
    name: str, entity_types: Collection[EntityType], consumers_of: ConsumersOf | None = None
) -> None:
    """Let `name` see changes of `entity_types`. By default the consumer is `name` itself;
    `consumers_of` names them per workspace instead (one per enabled CRM connection).
    Subscribing a name again replaces its subscription."""
    _subscriptions[name] = Subscription(
        frozenset(entity_types), consumers_of or (lambda _session, _workspace: [name])
    )


def _consumers_of(session: Session, name: str, workspace_id: UUID) -> Sequence[str]:
    """A subscription's consumers in a workspace, cached for the session: a unit of work
    records many changes."""
    cache: dict[tuple[str, UUID], Sequence[str]] = session.info.setdefault("outbox_consumers", {})
    key = (name, workspace_id)
    if key not in cache:
        cache[key] = _subscriptions[name].consumers_of(session, workspace_id)
    return cache[key]


def consumers_for(session: Session, change: Change) -> list[str]:
    """Which consumers must see a change, in the order they subscribed."""
    if not _subscriptions:
        raise NoConsumers("no outbox consumer is subscribed: start the runtime first")
    consumers: list[str] = []
    for name, subscription in _subscriptions.items():
        if change.entity_type in subscription.entity_types:
            consumers.extend(_consumers_of(session, name, change.workspace_id))
    return consumers


def record_changes(session: Session, changes: Sequence[Change]) -> None:
    """Write outbox rows for `changes` in the caller's transaction."""
    by_consumers: dict[tuple[str, ...], list[Change]] = {}
    for change in changes:
        by_consumers.setdefault(tuple(consumers_for(session, change)), []).append(change)
    for consumers, group in by_consumers.items():
        repository.enqueue(session, group, consumers)
