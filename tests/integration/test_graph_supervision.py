"""The embedded FalkorDB is supervised by the service that started it: killed with
SIGKILL in the middle of an ingest, it is started again by itself (with its data), the
restart is logged and shown by /readyz, and the outbox backlog drains into it."""

from __future__ import annotations

import json
import logging
import os
import signal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.main import create_app
from app.runtime import Runtime
from app.settings import load_settings
from core.db import unit_of_work
from core.outbox.tables import OutboxRow
from graph.models import NodeLabel
from graph.repository import WorkspaceGraph
from plans.tables import StakeholderRow
from tests.conftest import make_tenant
from tests.helpers import eventually


def conversation(index: int) -> dict[str, Any]:
    person = f"Person {index}"
    return {
        "external_id": f"supervised-{index}",
        "account": {"name": "Helix Health", "domain": "helixhealth.org"},
        "occurred_at": f"2026-01-{index + 1:02d}T15:00:00Z",
        "channel": "call",
        "participants": [{"name": person, "side": "customer", "title": "Director of IT"}],
        "turns": [{"speaker": person, "text": "We are comparing vendors for our pipelines."}],
    }


def server_pid(data_dir: Path) -> int:
    """The pid the embedded server's state file records (what an operator would read)."""
    state = json.loads((data_dir / "graph" / "server.json").read_text())
    return int(state["pid"])


def pending_rows(runtime: Runtime) -> int:
    with unit_of_work(runtime.session_factory) as session:
        query = select(func.count()).select_from(OutboxRow).where(OutboxRow.processed_at.is_(None))
        return session.scalar(query) or 0


@pytest.mark.slow
def test_falkordb_killed_mid_ingest_comes_back_by_itself_and_the_backlog_drains(
    database_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="graph")
    data_dir = tmp_path / "data"
    settings = load_settings(
        DATABASE_URL=database_url, GRAPH_URL=None, DATA_DIR=data_dir, PROJECTOR_POLL_SECONDS=0.05
    )
    with Runtime.start(settings) as runtime, TestClient(create_app(runtime)) as client:
        runtime.start_background_workers()
        tenant = make_tenant(runtime, "supervised")
        killed = server_pid(data_dir)
        for index in range(12):
            if index == 6:
                os.kill(killed, signal.SIGKILL)
            posted = client.post("/conversations", json=conversation(index), headers=tenant.headers)
            assert posted.status_code == 201, posted.text  # the graph is not on this path

        def restarted() -> bool:
            ready = client.get("/readyz")
            return ready.status_code == 200 and server_pid(data_dir) != killed

        assert eventually(restarted, attempts=600, pause=0.05)
        embedded = client.get("/readyz").json()["checks"]["graph"]["embedded"]
        assert embedded["state"] == "running" and embedded["restarts"] == 1
        assert embedded["pid"] == server_pid(data_dir)
        assert embedded["last_exit"] == "killed by SIGKILL"

        assert eventually(lambda: pending_rows(runtime) == 0, attempts=1200, pause=0.05)
        with unit_of_work(runtime.session_factory) as session:
            people = session.scalar(
                select(func.count())
                .select_from(StakeholderRow)
                .where(StakeholderRow.workspace_id == tenant.workspace.id)
            )
        graph = WorkspaceGraph(runtime.graph, tenant.workspace.id)
        assert people == 12
        assert graph.count_nodes()[NodeLabel.STAKEHOLDER] == 12

    logged = [record.getMessage() for record in caplog.records if record.name == "graph.supervisor"]
    assert any(f"pid {killed}" in line and "killed by SIGKILL" in line for line in logged)
    assert any("restarted" in line for line in logged)
