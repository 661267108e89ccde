"""Writes land in Postgres with their outbox rows; the projector brings the graph along,
idempotently, and survives a graph outage without losing anything."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from app.main import create_app
from app.runtime import Runtime
from app.settings import load_settings
from core.db import unit_of_work
from core.outbox import repository as outbox
from core.outbox.tables import OutboxRow
from graph.embedded import start_embedded_falkordb
from graph.models import NodeLabel
from graph.repository import WorkspaceGraph
from plans import service as plans
from plans.map.projector import GRAPH_CONSUMER
from plans.map.rebuild import rebuild_workspace
from tests.conftest import Tenant, make_tenant
from tests.helpers import eventually


def _pending(runtime: Runtime) -> int:
    with unit_of_work(runtime.session_factory) as session:
        return (
            session.scalar(
                select(func.count()).select_from(OutboxRow).where(OutboxRow.processed_at.is_(None))
            )
            or 0
        )


def test_outbox_rows_share_the_writers_transaction(runtime: Runtime, tenant: Tenant) -> None:
    with pytest.raises(RuntimeError):
        with unit_of_work(runtime.session_factory) as session:
            plans.create_account(session, tenant.workspace.id, plans.AccountCreate(name="Ghost"))
            raise RuntimeError("the request failed after the write")
    assert _pending(runtime) == 0

    with unit_of_work(runtime.session_factory) as session:
        plans.create_account(session, tenant.workspace.id, plans.AccountCreate(name="Real"))
    assert _pending(runtime) == 1


def test_projection_is_idempotent_and_follows_updates(runtime: Runtime, tenant: Tenant) -> None:
    with unit_of_work(runtime.session_factory) as session:
        account = plans.create_account(
            session, tenant.workspace.id, plans.AccountCreate(name="Acme", domain="acme.com")
        )
        plans.update_account(
            session, tenant.workspace.id, account.id, plans.AccountUpdate(name="Acme Corp")
        )
    projector = runtime.projector()
    assert projector.drain() == 2
    assert projector.drain() == 0
    graph = WorkspaceGraph(runtime.graph, tenant.workspace.id)
    node = graph.account(account.id)
    assert node is not None and node["name"] == "Acme Corp" and node["version"] == 2

    # The same rows applied again (a crash after the graph write, before the commit).
    with unit_of_work(runtime.session_factory) as session:
        session.execute(update(OutboxRow).values(processed_at=None))
    projector.drain()
    assert graph.count_nodes()[NodeLabel.ACCOUNT] == 1
    assert graph.account(account.id) == node


def test_graph_outage_delays_projection_and_loses_nothing(
    tmp_path: Path, database_url: str
) -> None:
    graph_server = start_embedded_falkordb(tmp_path / "graph-outage")
    settings = load_settings(
        DATABASE_URL=database_url,
        GRAPH_URL=graph_server.url,
        GRAPH_DATABASE="outage",
        DATA_DIR=tmp_path,
        PROJECTOR_POLL_SECONDS=0.05,
    )
    try:
        with Runtime.start(settings) as runtime:
            tenant = make_tenant(runtime, "outage")
            client = TestClient(create_app(runtime))
            graph_server.stop()

            ready = client.get("/readyz")
            assert ready.status_code == 503
            assert ready.json()["failing"] == ["graph"]
            created = [
                client.post(
                    "/accounts", json={"name": f"During outage {i}"}, headers=tenant.headers
                )
                for i in range(5)
            ]
            assert [r.status_code for r in created] == [201] * 5

            projector = runtime.projector()
            projector.run_once()  # fails against the dead graph: rows stay pending, with backoff
            with unit_of_work(runtime.session_factory) as session:
                backlog = outbox.backlog(session, GRAPH_CONSUMER)
            assert backlog.pending == 5 and backlog.failing == 5
            assert backlog.last_error is not None and "unreachable" in backlog.last_error

            graph_server.revive()
            assert client.get("/readyz").status_code == 200
            with unit_of_work(runtime.session_factory) as session:  # skip the backoff wait
                session.execute(update(OutboxRow).values(available_at=func.now()))
            projector.drain()
            names = sorted(
                a["name"] for a in WorkspaceGraph(runtime.graph, tenant.workspace.id).accounts()
            )
            assert names == [f"During outage {i}" for i in range(5)]
            assert _pending(runtime) == 0
            client.close()
    finally:
        graph_server.stop()


def test_rebuild_restores_a_workspace_graph_from_postgres_alone(
    runtime: Runtime, tenant: Tenant, other_tenant: Tenant
) -> None:
    with unit_of_work(runtime.session_factory) as session:
        for name in ("A", "B", "C"):
            plans.create_account(session, tenant.workspace.id, plans.AccountCreate(name=name))
        plans.create_account(session, other_tenant.workspace.id, plans.AccountCreate(name="Z"))
    runtime.projector().drain()
    ours = WorkspaceGraph(runtime.graph, tenant.workspace.id)
    theirs = WorkspaceGraph(runtime.graph, other_tenant.workspace.id)
    ours.clear()
    assert ours.accounts() == []

    with unit_of_work(runtime.session_factory) as session:
        report = rebuild_workspace(session, runtime.graph, tenant.workspace.id)
    assert report.accounts == 3
    assert sorted(a["name"] for a in ours.accounts()) == ["A", "B", "C"]
    assert [a["name"] for a in theirs.accounts()] == ["Z"]
    assert uuid.UUID(ours.accounts()[0]["workspace_id"]) == tenant.workspace.id


def test_the_serve_projector_thread_drains_in_the_background(
    client: TestClient, runtime: Runtime, tenant: Tenant
) -> None:
    runtime.start_background_workers()
    account = client.post("/accounts", json={"name": "Async"}, headers=tenant.headers).json()
    graph = WorkspaceGraph(runtime.graph, tenant.workspace.id)
    assert eventually(lambda: graph.account(uuid.UUID(account["id"])) is not None)
