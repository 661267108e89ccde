"""The CRM sync against the Notion emulator: the scenarios of SYNC.md end to end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.db import unit_of_work
from app.runtime import Runtime
from connectors.mapping import SyncedEntity
from plans import service as accounts
from tests.conftest import Tenant
from tests.support.notion_sync import NotionSync, notion_sync

A = SyncedEntity.ACCOUNT


@pytest.fixture
def sync(runtime: Runtime, tenant: Tenant) -> Iterator[NotionSync]:
    with notion_sync(runtime, tenant.workspace.id) as started:
        yield started


def _account(runtime: Runtime, tenant: Tenant, name: str, **fields: object):
    with unit_of_work(runtime.session_factory) as session:
        return accounts.create_account(
            session, tenant.workspace.id, accounts.AccountCreate(name=name, **fields)
        )


def test_record_created_here_appears_in_notion_once(
    sync: NotionSync, runtime: Runtime, tenant: Tenant
) -> None:
    account = _account(runtime, tenant, "Helix Bio", domain="helix.example", industry="Biotech")
    first = sync.run(reconcile=True)
    assert first.error is None, first.error
    assert first.created_remote == 1
    pages = sync.pages(A)
    assert len(pages) == 1
    assert sync.value(pages[0], A, "name") == "Helix Bio"
    assert sync.value(pages[0], A, "domain") == "helix.example"
    assert sync.external_id(A, account.id) == pages[0]
    again = sync.run()
    assert again.calls.get("pages.create", 0) == 0
    assert again.calls.get("pages.update", 0) == 0
    assert len(sync.pages(A)) == 1
