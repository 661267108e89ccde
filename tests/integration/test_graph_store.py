"""The graph port on a real FalkorDB: schema, upserts, and workspace isolation."""

from __future__ import annotations

import uuid

import pytest

from graph import queries
from graph.errors import GraphConstraintViolation, GraphQueryError
from graph.falkordb_store import FalkorDBStore
from graph.models import AccountNode, NodeLabel, StakeholderNode
from graph.repository import WorkspaceGraph


def test_schema_setup_is_idempotent_and_makes_ids_unique(graph_store: FalkorDBStore) -> None:
    graph_store.ensure_schema()
    graph_store.ensure_schema()
    indexes = graph_store.run(queries.FALKORDB_LIST_INDEXES, {})
    indexed = {(row["label"], prop) for row in indexes for prop in row["properties"]}
    assert {("Account", "id"), ("Stakeholder", "id"), ("Account", "workspace_id")} <= indexed
    unique = {
        (row["label"], tuple(row["properties"]))
        for row in graph_store.run(queries.FALKORDB_LIST_CONSTRAINTS, {})
        if row["type"] == "UNIQUE" and row["status"] == "OPERATIONAL"
    }
    assert {("Account", ("id",)), ("Stakeholder", ("id",))} <= unique


def test_upserts_are_idempotent_and_update_in_place(graph_store: FalkorDBStore) -> None:
    graph = WorkspaceGraph(graph_store, uuid.uuid4())
    account = uuid.uuid4()
    person = uuid.uuid4()
    for name in ("Acme", "Acme", "Acme Corp"):
        graph.upsert_accounts([AccountNode(account, {"name": name})])
        graph.upsert_stakeholders([StakeholderNode(person, account, {"full_name": "Sarah Chen"})])
    counts = graph.count_nodes()
    assert (counts[NodeLabel.ACCOUNT], counts[NodeLabel.STAKEHOLDER]) == (1, 1)
    assert graph.account(account) is not None
    assert graph.accounts()[0]["name"] == "Acme Corp"
    assert graph.stakeholders()[0]["account_id"] == str(account)


def test_a_moved_stakeholder_works_at_one_account_only(graph_store: FalkorDBStore) -> None:
    graph = WorkspaceGraph(graph_store, uuid.uuid4())
    first, second, person = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    graph.upsert_stakeholders([StakeholderNode(person, first, {"full_name": "Ana"})])
    graph.upsert_stakeholders([StakeholderNode(person, second, {"full_name": "Ana"})])
    assert [s["account_id"] for s in graph.stakeholders()] == [str(second)]


def test_workspaces_cannot_see_or_change_each_others_nodes(graph_store: FalkorDBStore) -> None:
    ours = WorkspaceGraph(graph_store, uuid.uuid4())
    theirs = WorkspaceGraph(graph_store, uuid.uuid4())
    account = uuid.uuid4()
    ours.upsert_accounts([AccountNode(account, {"name": "Ours"})])

    assert theirs.accounts() == []
    assert theirs.account(account) is None
    with pytest.raises(GraphConstraintViolation, match="another workspace"):
        theirs.upsert_accounts([AccountNode(account, {"name": "Hijacked"})])
    theirs.delete_accounts([account])
    theirs.clear()

    assert ours.accounts()[0]["name"] == "Ours"
    assert ours.count_nodes()[NodeLabel.ACCOUNT] == 1


def test_bad_statements_become_graph_query_errors(graph_store: FalkorDBStore) -> None:
    broken = queries.Statement("broken", "MATCH (n RETURN n", frozenset())
    with pytest.raises(GraphQueryError, match="broken"):
        graph_store.run(broken, {})
