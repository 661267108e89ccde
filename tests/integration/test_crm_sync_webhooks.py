"""Notion webhooks into the API: signatures, the verification request, duplicates, events as
hints; and convergence when every webhook is lost."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.runtime import Runtime
from connectors.mapping import SyncedEntity
from connectors.notion.webhooks import signature
from connectors.sync.tables import HintRow
from core.db import unit_of_work
from tests.conftest import Tenant
from tests.integration.test_crm_sync import get_account, make_account
from tests.notion_emulator import WebhookRequest
from tests.support.notion_sync import NotionSync, notion_sync

ACCOUNT = SyncedEntity.ACCOUNT
# A delivery is JSON; a body of no declared type is refused (415) before its signature is read.
AS_NOTION_SENDS = {"Content-Type": "application/json"}


@pytest.fixture
def sync(runtime: Runtime, tenant: Tenant) -> Iterator[NotionSync]:
    with notion_sync(runtime, tenant.workspace.id) as started:
        yield started


def _url(sync: NotionSync) -> str:
    return f"/webhooks/notion/{sync.connection_id}"


def _hints(runtime: Runtime) -> int:
    with unit_of_work(runtime.session_factory) as session:
        return session.scalar(select(func.count()).select_from(HintRow)) or 0


@pytest.fixture
def subscribed(sync: NotionSync, client: TestClient) -> NotionSync:
    """The emulator delivers to our endpoint; the verification token is taken first."""

    def post(request: WebhookRequest) -> int:
        return client.post(_url(sync), content=request.body, headers=request.headers).status_code

    sync.emulator.webhooks.subscribe(post)
    sync.emulator.webhooks.send_verification()
    assert sync.connection().secrets["webhook_token"] == sync.emulator.webhooks.verification_token
    return sync


def test_a_webhook_brings_an_edit_without_waiting_for_the_poll(
    subscribed: NotionSync, runtime: Runtime, tenant: Tenant
) -> None:
    sync = subscribed
    account = make_account(runtime, tenant, "Helix Bio")
    sync.run(reconcile=True)
    page = sync.external_id(ACCOUNT, account.id)
    assert page is not None
    sync.emulator.webhooks.deliver()  # events of our own writes: ignored, no fetch
    assert _hints(runtime) == 0
    sync.emulator.clock.advance(60)
    sync.rep_edit(page, ACCOUNT, description={"rich_text": [{"text": {"content": "via webhook"}}]})
    sent = sync.emulator.webhooks.deliver()
    assert sent and _hints(runtime) == 1
    report = sync.run(poll=False)
    assert report.calls.get("data_sources.query", 0) == 0
    assert report.calls.get("pages.retrieve") == 1
    assert get_account(runtime, tenant, account.id).description == "via webhook"
    assert _hints(runtime) == 0


def test_duplicated_and_reordered_webhooks_are_taken_once(
    subscribed: NotionSync, runtime: Runtime, tenant: Tenant
) -> None:
    sync = subscribed
    account = make_account(runtime, tenant, "Helix Bio")
    sync.run(reconcile=True)
    page = sync.external_id(ACCOUNT, account.id)
    assert page is not None
    sync.emulator.webhooks.deliver()
    sync.emulator.webhooks.duplicate_next(2)
    for text in ("first", "second"):
        sync.emulator.clock.advance(60)
        sync.rep_edit(page, ACCOUNT, description={"rich_text": [{"text": {"content": text}}]})
    sync.emulator.webhooks.deliver(order="lifo")
    report = sync.run(poll=False)
    assert report.calls.get("pages.retrieve") == 1  # one hint per page, however many events
    assert get_account(runtime, tenant, account.id).description == "second"


def test_bad_or_missing_signatures_get_401_and_store_nothing(
    subscribed: NotionSync, client: TestClient, runtime: Runtime
) -> None:
    sync = subscribed
    body = (
        b'{"id":"evt-1","type":"page.properties_updated","entity":{"id":"'
        + sync.emulator.root_page_id.encode()
        + b'","type":"page"},"authors":[{"id":"u","type":"person"}],"data":{}}'
    )
    missing = client.post(_url(sync), content=body, headers=AS_NOTION_SENDS)
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "unauthorized"
    forged = client.post(
        _url(sync),
        content=body,
        headers={**AS_NOTION_SENDS, "X-Notion-Signature": signature(body, "not-the-token")},
    )
    assert forged.status_code == 401
    tampered = client.post(
        _url(sync),
        content=body.replace(b"evt-1", b"evt-2"),
        headers={
            **AS_NOTION_SENDS,
            "X-Notion-Signature": signature(body, sync.emulator.webhooks.verification_token),
        },
    )
    assert tampered.status_code == 401
    assert _hints(runtime) == 0
    # A second "verification" cannot replace the token once it is set.
    again = client.post(_url(sync), json={"verification_token": "attacker"})
    assert again.status_code == 401
    assert sync.connection().secrets["webhook_token"] == sync.emulator.webhooks.verification_token
    good = client.post(
        _url(sync),
        content=body,
        headers={
            **AS_NOTION_SENDS,
            "X-Notion-Signature": signature(body, sync.emulator.webhooks.verification_token),
        },
    )
    assert good.status_code == 200 and good.json() == {"status": "accepted"}
    assert client.post(
        _url(sync),
        content=body,
        headers={
            **AS_NOTION_SENDS,
            "X-Notion-Signature": signature(body, sync.emulator.webhooks.verification_token),
        },
    ).json() == {"status": "duplicate"}


def test_a_webhook_for_an_unknown_connection_is_404(client: TestClient) -> None:
    response = client.post(
        "/webhooks/notion/00000000-0000-0000-0000-000000000000", json={"verification_token": "x"}
    )
    assert response.status_code == 404


def test_with_every_webhook_lost_the_poll_and_the_reconcile_still_converge(
    subscribed: NotionSync, runtime: Runtime, tenant: Tenant
) -> None:
    sync = subscribed
    sync.emulator.webhooks.drop_randomly(1.0)
    kept = make_account(runtime, tenant, "Kept Ltd")
    trashed = make_account(runtime, tenant, "Trashed Ltd")
    sync.run(reconcile=True)
    kept_page, trashed_page = (
        sync.external_id(ACCOUNT, kept.id),
        sync.external_id(ACCOUNT, trashed.id),
    )
    assert kept_page is not None and trashed_page is not None
    sync.emulator.clock.advance(300)
    sync.rep_edit(kept_page, ACCOUNT, industry={"select": {"name": "Shipping"}})
    sync.emulator.trash_page(trashed_page)
    sync.emulator.webhooks.deliver()
    assert _hints(runtime) == 0, "nothing arrived"
    sync.run()  # the poll sees the edit
    assert get_account(runtime, tenant, kept.id).industry == "Shipping"
    sync.run(reconcile=True)  # the reconcile sees the trash
    with unit_of_work(runtime.session_factory) as session:
        from plans import repository as plans_repository

        assert plans_repository.get_account(session, tenant.workspace.id, trashed.id) is None
