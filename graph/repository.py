"""Typed graph operations for one workspace, on top of any `GraphStore`.

A `WorkspaceGraph` is bound to one workspace id and passes it to every statement, so
code holding one cannot reach another workspace's nodes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, TypeVar
from uuid import UUID

from graph import queries
from graph.errors import GraphConstraintViolation
from graph.models import AccountNode, EdgeRow, NodeLabel, OurPersonNode, RelType, StakeholderNode
from graph.port import GraphStore

BATCH_SIZE = 500
T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class WorkspaceGraph:
    def __init__(self, store: GraphStore, workspace_id: UUID) -> None:
        self.store = store
        self.workspace_id = str(workspace_id)

    def _run(self, statement: queries.Statement, **parameters: Any) -> list[dict[str, Any]]:
        return self.store.run(statement, {**parameters, "workspace_id": self.workspace_id})

    def _write_batches(self, statement: queries.Statement, rows: Sequence[dict[str, Any]]) -> None:
        for batch in batched(rows, BATCH_SIZE):
            written = self._run(statement, rows=batch)[0]["written"]
            if written != len(batch):
                raise GraphConstraintViolation(
                    f"{statement.name}: {len(batch) - written} of {len(batch)} ids belong to "
                    "another workspace"
                )

    def upsert_accounts(self, nodes: Sequence[AccountNode]) -> None:
        rows = [{"id": str(node.id), "properties": node.properties} for node in nodes]
        self._write_batches(queries.UPSERT_ACCOUNTS, rows)

    def delete_accounts(self, ids: Sequence[UUID]) -> None:
        for batch in batched((str(i) for i in ids), BATCH_SIZE):
            self._run(queries.DELETE_ACCOUNTS, ids=batch)

    def upsert_stakeholders(self, nodes: Sequence[StakeholderNode]) -> None:
        rows = [
            {"id": str(node.id), "account_id": str(node.account_id), "properties": node.properties}
            for node in nodes
        ]
        for batch in batched(rows, BATCH_SIZE):
            self._run(queries.DETACH_STAKEHOLDERS_FROM_OTHER_ACCOUNTS, rows=batch)
        self._write_batches(queries.UPSERT_STAKEHOLDERS, rows)

    def delete_stakeholders(self, ids: Sequence[UUID]) -> None:
        for batch in batched((str(i) for i in ids), BATCH_SIZE):
            self._run(queries.DELETE_STAKEHOLDERS, ids=batch)

    def account(self, account_id: UUID) -> dict[str, Any] | None:
        rows = self._run(queries.GET_ACCOUNT, id=str(account_id))
        return rows[0]["account"] if rows else None

    def accounts(self) -> list[dict[str, Any]]:
        return [row["account"] for row in self._run(queries.LIST_ACCOUNTS)]

    def stakeholders(self) -> list[dict[str, Any]]:
        return [
            {**row["stakeholder"], "account_id": row["account_id"]}
            for row in self._run(queries.LIST_STAKEHOLDERS)
        ]

    def count_nodes(self) -> dict[NodeLabel, int]:
        return {
            label: self._run(statement)[0]["nodes"]
            for label, statement in queries.COUNT_NODES.items()
        }

    def clear(self) -> None:
        """Delete every node (and edge) of this workspace."""
        for statement in queries.DELETE_WORKSPACE_NODES.values():
            self._run(statement)

    # --- the political map ---------------------------------------------------------

    def upsert_our_people(self, nodes: Sequence[OurPersonNode]) -> None:
        rows = [{"id": str(node.id), "properties": node.properties} for node in nodes]
        self._write_batches(queries.UPSERT_OUR_PEOPLE, rows)

    def upsert_edges(self, edges: Sequence[EdgeRow]) -> None:
        by_type: dict[RelType, list[dict[str, Any]]] = {}
        for edge in edges:
            by_type.setdefault(edge.type, []).append(
                {
                    "id": str(edge.id),
                    "source": str(edge.source),
                    "target": str(edge.target),
                    "properties": edge.properties,
                }
            )
        for rel, rows in by_type.items():
            for batch in batched(rows, BATCH_SIZE):
                written = self._run(queries.UPSERT_EDGES[rel], rows=batch)[0]["written"]
                if written != len(batch):
                    raise GraphConstraintViolation(
                        f"{len(batch) - written} {rel} edge(s) name people missing from the graph"
                    )

    def delete_stale_account_edges(self, account_id: UUID, keep: Sequence[UUID]) -> None:
        self._run(
            queries.DELETE_STALE_ACCOUNT_EDGES,
            account_id=str(account_id),
            keep=[str(k) for k in keep],
        )

    def account_nodes(self, account_id: UUID) -> list[dict[str, Any]]:
        return [row["node"] for row in self._run(queries.ACCOUNT_NODES, account_id=str(account_id))]

    def account_edges(self, account_id: UUID) -> list[dict[str, Any]]:
        return [
            {"source": row["source"], "type": row["type"], "target": row["target"], **row["edge"]}
            for row in self._run(queries.ACCOUNT_EDGES, account_id=str(account_id))
        ]

    def account_our_people(self, account_id: UUID) -> list[dict[str, Any]]:
        return self._run(queries.ACCOUNT_OUR_PEOPLE, account_id=str(account_id))

    def path(self, account_id: UUID, source: UUID, target: UUID, *, strongest: bool) -> Path | None:
        statement = queries.STRONGEST_PATH if strongest else queries.SHORTEST_PATH
        rows = self._run(
            statement, account_id=str(account_id), source=str(source), target=str(target)
        )
        return Path.of(rows[0]) if rows else None

    def strongest_from(self, account_id: UUID, target: UUID, limit: int = 5_000) -> list[Path]:
        """The strongest path from `target` to each person it reaches (one per person)."""
        rows = self._run(
            queries.STRONGEST_FROM, account_id=str(account_id), target=str(target), limit=limit
        )
        best: dict[str, Path] = {}
        for path in sorted((Path.of(row) for row in rows), key=lambda p: (-p.strength, len(p.ids))):
            best.setdefault(path.ids[-1], path)
        return list(best.values())

    def blockers_near_deciders(self, account_id: UUID, hops: int) -> list[dict[str, Any]]:
        return self._run(queries.BLOCKERS_NEAR_DECIDERS, account_id=str(account_id), hops=hops)

    def neutralisers(self, blockers: Sequence[str]) -> list[dict[str, Any]]:
        return self._run(queries.NEUTRALISERS, blockers=list(blockers))


@dataclass(frozen=True)
class Path:
    """Node ids along a path and the weights of its edges."""

    ids: tuple[str, ...]
    weights: tuple[float, ...]

    @property
    def strength(self) -> float:
        return math.prod(self.weights) if self.weights else 0.0

    @classmethod
    def of(cls, row: dict[str, Any]) -> Path:
        return cls(tuple(row["ids"]), tuple(float(w) for w in row["weights"]))
