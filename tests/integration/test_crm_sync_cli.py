"""`notion setup`, `sync run`, `sync status` as separate processes against the Notion
emulator, and a sync worker killed mid-run that resumes with nothing lost or doubled."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest

from app.runtime import Runtime
from app.settings import Settings
from connectors.mapping import SyncedEntity
from connectors.sync import repository
from core.db import unit_of_work
from plans import service as accounts
from tests.conftest import Tenant
from tests.helpers import eventually
from tests.integration.test_cli import run_cli
from tests.integration.test_crm_sync import make_account
from tests.notion_emulator import DEFAULT_TOKEN, NotionEmulator, RunningEmulator, running_emulator
from tests.support.notion_sync import START, NotionSync, set_up_notion

ACCOUNT = SyncedEntity.ACCOUNT


@pytest.fixture
def emulator() -> Iterator[tuple[NotionEmulator, RunningEmulator]]:
    notion = NotionEmulator(start=START)
    with running_emulator(notion) as server:
        yield notion, server


def _notion_env(server: RunningEmulator, **extra: str) -> dict[str, str]:
    return {
        "NOTION_TOKEN": DEFAULT_TOKEN,
        "NOTION_BASE_URL": server.base_url,
        "NOTION_REQUESTS_PER_SECOND": "200",
        "NOTION_BURST": "20",
        **extra,
    }


def test_notion_setup_creates_the_databases_and_sync_run_fills_them(
    settings: Settings,
    runtime: Runtime,
    emulator: tuple[NotionEmulator, RunningEmulator],
) -> None:
    notion, server = emulator
    url = f"https://www.notion.so/acme/Sales-CRM-{notion.root_page_id.replace('-', '')}?pvs=4"
    made = run_cli(
        settings,
        "notion",
        "setup",
        "--workspace",
        "field-team",
        "--parent-page",
        url,
        extra_env=_notion_env(server),
    )
    assert made.returncode == 0, made.stderr
    assert "webhooks/notion/" in made.stdout
    assert len(notion.store.databases) == 4
    with unit_of_work(runtime.session_factory) as session:
        (row,) = repository.connections(session)
        workspace_id = row.workspace_id
        assert row.options["bot_id"] and row.secrets["token"] == DEFAULT_TOKEN
    for name in ("Helix Bio", "Brightwater"):
        with unit_of_work(runtime.session_factory) as session:
            accounts.create_account(session, workspace_id, accounts.AccountCreate(name=name))
    ran = run_cli(settings, "sync", "run", "--once", extra_env=_notion_env(server))
    assert ran.returncode == 0, ran.stderr
    assert "created in the CRM 2" in ran.stdout
    status = run_cli(settings, "sync", "status", extra_env=_notion_env(server))
    assert status.returncode == 0 and "notion" in status.stdout


def test_notion_setup_map_checks_existing_databases_by_name_and_type(
    settings: Settings,
    runtime: Runtime,
    emulator: tuple[NotionEmulator, RunningEmulator],
    tmp_path: Path,
) -> None:
    notion, server = emulator
    client = server.client()
    try:
        database = client.databases.create(
            parent={"type": "page_id", "page_id": notion.root_page_id},
            title=[{"type": "text", "text": {"content": "Our accounts"}}],
            initial_data_source={
                "properties": {
                    "Company": {"title": {}},
                    "Website": {"url": {}},
                    "Sector": {"rich_text": {}},  # not a select: must be refused
                    "Record ID": {"rich_text": {}},
                }
            },
        )
    finally:
        client.close()
    data_source = cast(dict[str, Any], database)["data_sources"][0]["id"]
    mapping = {
        "entities": {
            "account": {
                "location": data_source,
                "record_id": "Record ID",
                "fields": {
                    "name": {"remote": "Company"},
                    "domain": {"remote": "Website", "rule": "notion_wins"},
                    "industry": {"remote": "Sector"},
                },
            }
        }
    }
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(mapping))
    refused = run_cli(
        settings,
        "notion",
        "setup",
        "--workspace",
        "w",
        "--map",
        str(bad),
        extra_env=_notion_env(server),
    )
    assert refused.returncode == 1
    assert "account.industry" in refused.stderr and "rich_text, not select" in refused.stderr
    del mapping["entities"]["account"]["fields"]["industry"]
    mapping["entities"]["account"]["fields"]["description"] = {"remote": "Missing column"}
    bad.write_text(json.dumps(mapping))
    refused = run_cli(
        settings,
        "notion",
        "setup",
        "--workspace",
        "w",
        "--map",
        str(bad),
        extra_env=_notion_env(server),
    )
    assert refused.returncode == 1 and "no column 'Missing column'" in refused.stderr
    del mapping["entities"]["account"]["fields"]["description"]
    good = tmp_path / "good.json"
    good.write_text(json.dumps(mapping))
    accepted = run_cli(
        settings,
        "notion",
        "setup",
        "--workspace",
        "w",
        "--map",
        str(good),
        extra_env=_notion_env(server),
    )
    assert accepted.returncode == 0, accepted.stderr
    with unit_of_work(runtime.session_factory) as session:
        (row,) = repository.connections(session)
    fields = row.mapping["entities"]["account"]["fields"]
    properties = notion.data_source_json(data_source)["properties"]
    assert fields["name"]["remote"] == properties["Company"]["id"]  # stored by id
    assert fields["domain"]["rule"] == "crm_wins"
    no_token = run_cli(
        settings,
        "notion",
        "setup",
        "--workspace",
        "w",
        "--map",
        str(good),
        extra_env={**_notion_env(server), "NOTION_TOKEN": ""},
    )
    assert no_token.returncode == 2 and "NOTION_TOKEN" in no_token.stderr
    neither = run_cli(
        settings, "notion", "setup", "--workspace", "w", extra_env=_notion_env(server)
    )
    assert neither.returncode == 1 and "exactly one of --parent-page and --map" in neither.stderr


def test_a_sync_worker_killed_mid_run_resumes_with_no_duplicate_and_no_loss(
    settings: Settings,
    runtime: Runtime,
    tenant: Tenant,
    emulator: tuple[NotionEmulator, RunningEmulator],
) -> None:
    notion, server = emulator
    sync: NotionSync = set_up_notion(runtime, tenant.workspace.id, notion, server)
    made = [make_account(runtime, tenant, f"Account {i:03d}") for i in range(150)]
    runtime.drain()
    notion.enable_rate_limit(rate=3, burst=10, scale=10)  # 30 requests a second
    env = {
        **os.environ,
        "DATABASE_URL": str(settings.DATABASE_URL),
        "GRAPH_URL": str(settings.GRAPH_URL),
        "GRAPH_DATABASE": settings.graph_name,
        "DATA_DIR": str(settings.DATA_DIR),
        **_notion_env(server, NOTION_REQUESTS_PER_SECOND="30", NOTION_BURST="3"),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "app", "sync", "run", "--once"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert eventually(lambda: len(sync.pages(ACCOUNT)) >= 40, attempts=1200)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert len(sync.pages(ACCOUNT)) < len(made), "killed before the end"
    resumed = subprocess.run(
        [sys.executable, "-m", "app", "sync", "run", "--once", "--reconcile"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert resumed.returncode == 0, resumed.stderr
    pages = sync.pages(ACCOUNT)
    assert len(pages) == len(made)
    stamped = [
        sync.page(page)["properties"]["Record ID"]["rich_text"][0]["plain_text"] for page in pages
    ]
    assert sorted(stamped) == sorted(str(account.id) for account in made)
    assert sync.link_count() == len(made)
    sync.worker.close()
