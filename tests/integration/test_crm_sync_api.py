"""The conflict log and sync status over the API: listing, resolving, tenancy."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from app.runtime import Runtime
from app.workers.sync import SyncWorker
from connectors.mapping import ConflictRule, SyncedEntity
from connectors.sync import service
from core.db import unit_of_work, utcnow
from tests.conftest import Tenant
from tests.integration.test_crm_sync import get_account, make_account, update_account
from tests.notion_emulator import DEFAULT_TOKEN
from tests.support.notion_sync import NotionSync, notion_sync

ACCOUNT = SyncedEntity.ACCOUNT


@pytest.fixture
def sync(runtime: Runtime, tenant: Tenant) -> Iterator[NotionSync]:
    with notion_sync(runtime, tenant.workspace.id) as started:
        yield started


def with_rule(
    sync: NotionSync, runtime: Runtime, tenant: Tenant, field: str, rule: ConflictRule
) -> None:
    mapping = sync.mapping.model_copy(deep=True)
    mapping.entities[ACCOUNT].fields[field].rule = rule
    current = sync.connection()
    with unit_of_work(runtime.session_factory) as session:
        service.connect(
            session, tenant.workspace.id, "notion", mapping, current.secrets, current.options
        )
    sync.mapping = mapping


def both_edit(
    sync: NotionSync, runtime: Runtime, tenant: Tenant, field: str, ours: str, theirs: object
) -> str:
    account = make_account(runtime, tenant, "Helix Bio", industry="Biotech", description="v1")
    sync.run(reconcile=True)
    page = sync.external_id(ACCOUNT, account.id)
    assert page is not None
    sync.emulator.clock.advance(120)
    update_account(runtime, tenant, account.id, **{field: ours})
    sync.rep_edit(page, ACCOUNT, **{field: theirs})
    sync.run()
    sync.run()
    return str(account.id)


def test_a_manual_field_waits_for_a_person_and_their_choice_lands_on_both_sides(
    sync: NotionSync, runtime: Runtime, tenant: Tenant, client: TestClient
) -> None:
    with_rule(sync, runtime, tenant, "industry", ConflictRule.MANUAL)
    account_id = both_edit(
        sync, runtime, tenant, "industry", "Pharma", {"select": {"name": "Medtech"}}
    )
    page = sync.pages(ACCOUNT)[0]
    # Neither side moved.
    assert get_account(runtime, tenant, account_id).industry == "Pharma"  # type: ignore[arg-type]
    assert sync.value(page, ACCOUNT, "industry") == "Medtech"
    listed = client.get("/sync/conflicts", params={"status": "open"}, headers=tenant.headers)
    assert listed.status_code == 200
    (conflict,) = listed.json()["items"]
    assert conflict["field"] == "industry" and conflict["rule"] == "manual"
    assert (conflict["local_value"], conflict["remote_value"], conflict["shadow_value"]) == (
        "Pharma",
        "Medtech",
        "Biotech",
    )
    assert conflict["winner"] is None and conflict["connector"] == "notion"
    status = client.get("/sync/status", headers=tenant.headers).json()
    assert status[0]["open_conflicts"] == 1
    resolved = client.post(
        f"/sync/conflicts/{conflict['id']}/resolve",
        json={"winner": "postgres"},
        headers=tenant.headers,
    )
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["status"] == "resolved" and resolved.json()["winner"] == "postgres"
    sync.run()
    assert sync.value(page, ACCOUNT, "industry") == "Pharma"
    assert get_account(runtime, tenant, account_id).industry == "Pharma"  # type: ignore[arg-type]
    assert (
        client.get("/sync/conflicts", params={"status": "open"}, headers=tenant.headers).json()[
            "items"
        ]
        == []
    )


def test_an_automatic_decision_can_be_turned_around_by_a_person(
    sync: NotionSync, runtime: Runtime, tenant: Tenant, client: TestClient
) -> None:
    account_id = both_edit(
        sync,
        runtime,
        tenant,
        "description",
        "ours",
        {"rich_text": [{"text": {"content": "theirs"}}]},
    )
    page = sync.pages(ACCOUNT)[0]
    assert sync.value(page, ACCOUNT, "description") == "theirs"  # crm_wins
    (conflict,) = client.get("/sync/conflicts", headers=tenant.headers).json()["items"]
    assert conflict["winner"] == "crm" and conflict["status"] == "resolved"
    turned = client.post(
        f"/sync/conflicts/{conflict['id']}/resolve",
        json={"winner": "postgres"},
        headers=tenant.headers,
    )
    assert turned.status_code == 200
    sync.run()
    assert get_account(runtime, tenant, account_id).description == "ours"  # type: ignore[arg-type]
    assert sync.value(page, ACCOUNT, "description") == "ours"


def test_resolving_checks_its_input_and_the_workspace(
    sync: NotionSync, runtime: Runtime, tenant: Tenant, other_tenant: Tenant, client: TestClient
) -> None:
    both_edit(
        sync, runtime, tenant, "description", "ours", {"rich_text": [{"text": {"content": "x"}}]}
    )
    (conflict,) = client.get("/sync/conflicts", headers=tenant.headers).json()["items"]
    url = f"/sync/conflicts/{conflict['id']}/resolve"
    wrong = client.post(url, json={"winner": "notion-please"}, headers=tenant.headers)
    assert wrong.status_code == 422 and "winner" in wrong.text
    extra = client.post(url, json={"winner": "crm", "value": 3}, headers=tenant.headers)
    assert extra.status_code == 422
    assert client.post(url, json={"winner": "crm"}, headers=other_tenant.headers).status_code == 404
    assert client.get("/sync/conflicts", headers=other_tenant.headers).json()["items"] == []
    assert client.get("/sync/status", headers=other_tenant.headers).json() == []
    assert (
        client.get("/sync/conflicts", params={"status": "nope"}, headers=tenant.headers).status_code
        == 422
    )
    assert client.get("/sync/status").status_code == 401


def test_status_shows_backlog_success_errors_and_calls(
    sync: NotionSync, runtime: Runtime, tenant: Tenant, client: TestClient
) -> None:
    make_account(runtime, tenant, "Helix Bio")
    runtime.drain()
    before = client.get("/sync/status", headers=tenant.headers).json()[0]
    assert before["backlog"] == 1 and before["last_success_at"] is None
    sync.run(reconcile=True)
    after = client.get("/sync/status", headers=tenant.headers).json()[0]
    assert after["backlog"] == 0 and after["last_success_at"] is not None
    assert after["calls"]["pages.create"] == 1 and after["calls"]["total"] >= 1
    assert after["linked_records"] == {"account": 1}
    sync.server.emulator.tokens.clear()  # the integration was disconnected in Notion
    make_account(runtime, tenant, "Second Ltd")
    report = sync.run()
    assert report.error is not None
    broken = client.get("/sync/status", headers=tenant.headers).json()[0]
    assert broken["last_error"] and broken["backlog"] == 1


def test_a_failing_connection_rests_longer_each_time(
    sync: NotionSync, runtime: Runtime, tenant: Tenant
) -> None:
    clock = [utcnow()]
    worker = SyncWorker(runtime.session_factory, sync.settings, now=lambda: clock[0])
    # Another process's worker: the rest is the connection's, not a process's.
    other = SyncWorker(runtime.session_factory, sync.settings, now=lambda: clock[0])
    try:
        sync.server.emulator.tokens.clear()
        make_account(runtime, tenant, "Helix Bio")
        runtime.drain()
        (failed,) = worker.run_all()
        assert failed.error is not None
        assert worker.run_all()[0].resting and other.run_all()[0].resting
        clock[0] += timedelta(seconds=2.5)
        (again,) = other.run_all()
        assert again.error is not None
        clock[0] += timedelta(seconds=2.5)
        assert worker.run_all()[0].resting  # 4 seconds this time
        sync.server.emulator.tokens.add(DEFAULT_TOKEN)
        clock[0] += timedelta(seconds=2.0)
        (recovered,) = worker.run_all()
        assert recovered.error is None and recovered.created_remote == 1
        assert sync.connection().rest_until is None
    finally:
        worker.close()
        other.close()
