"""Typed graph operations for one workspace, on top of any `GraphStore`.

A `WorkspaceGraph` is bound to one workspace id and passes it to every statement, so
code holding one cannot reach another workspace's nodes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, TypeVar
from uuid import UUID

from graph import queries
from graph.errors import GraphConstraintViolation
from graph.models import AccountNode, NodeLabel, StakeholderNode
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
