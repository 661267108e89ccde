"""The graph projector: applies outbox rows of the `graph` consumer to the graph.

Each row only says which record changed; the projector reads that record's current state
from Postgres and writes it to the graph (MERGE by id). Applying a row twice, or rows out
of order, therefore gives the same graph, and a graph outage only delays the rows: they
stay pending, with backoff, until the graph answers again.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from uuid import UUID

from sqlalchemy.orm import Session, sessionmaker

from core.db import unit_of_work
from core.errors import StoreUnavailable
from core.outbox import repository as outbox
from core.outbox.models import EntityType, PendingChange
from graph.errors import GraphQueryError
from graph.port import GraphStore
from graph.repository import WorkspaceGraph
from plans.map.projection import project_account_graphs, project_accounts, project_stakeholders

logger = logging.getLogger(__name__)

GRAPH_CONSUMER = "graph"

Projector = Callable[[Session, WorkspaceGraph, Sequence[UUID]], None]
PROJECTORS: dict[EntityType, Projector] = {
    EntityType.ACCOUNT: project_accounts,
    EntityType.STAKEHOLDER: project_stakeholders,
    EntityType.ACCOUNT_GRAPH: project_account_graphs,
}


class GraphProjector:
    def __init__(
        self, session_factory: sessionmaker[Session], store: GraphStore, batch_size: int = 200
    ) -> None:
        self.session_factory = session_factory
        self.store = store
        self.batch_size = batch_size

    def run_once(self) -> int:
        """Apply one batch of due rows; return how many rows were handled (done or failed)."""
        with unit_of_work(self.session_factory) as session:
            pending = outbox.claim(session, GRAPH_CONSUMER, self.batch_size)
            if not pending:
                return 0
            for group in _groups(pending):
                self._apply_group(session, group)
            return len(pending)

    def drain(self, max_batches: int = 10_000) -> int:
        """Apply due rows until none is left (or `max_batches`); return how many."""
        total = 0
        for _ in range(max_batches):
            handled = self.run_once()
            if handled == 0:
                break
            total += handled
        return total

    def _apply_group(self, session: Session, group: list[PendingChange]) -> None:
        first = group[0]
        graph = WorkspaceGraph(self.store, first.workspace_id)
        project = PROJECTORS.get(first.entity_type)
        if project is None:  # not part of the political map
            outbox.mark_done(session, [c.id for c in group])
            return
        ids = list(dict.fromkeys(change.entity_id for change in group))
        try:
            project(session, graph, ids)
        except StoreUnavailable as exc:
            outbox.mark_failed(session, [c.id for c in group], str(exc), first.attempts)
            return
        except GraphQueryError as exc:
            if len(group) > 1:  # find the one row that fails; apply the rest
                for change in group:
                    self._apply_group(session, [change])
                return
            park_rejected(session, group, exc.message)
            return
        outbox.mark_done(session, [c.id for c in group])


def park_rejected(session: Session, group: list[PendingChange], reason: str) -> None:
    """A row the graph rejects is parked with backoff and the graph's reason recorded."""
    change = group[0]
    logger.error(
        "graph rejected outbox row %s (%s %s): %s",
        change.id,
        change.entity_type,
        change.entity_id,
        reason,
    )
    error = f"graph rejected the change: {reason}"
    outbox.mark_failed(session, [change.id], error, change.attempts)


def _groups(pending: Sequence[PendingChange]) -> list[list[PendingChange]]:
    """Group by workspace and entity type; accounts first so stakeholders find them."""
    grouped: dict[tuple[UUID, EntityType], list[PendingChange]] = defaultdict(list)
    for change in pending:
        grouped[(change.workspace_id, change.entity_type)].append(change)
    order = list(EntityType)
    return [grouped[key] for key in sorted(grouped, key=lambda k: (order.index(k[1]), str(k[0])))]
