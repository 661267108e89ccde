"""Notion's limits and schema changes: long text in 2000-character pieces, relation lists
cut at 25 read in full, columns renamed or retyped."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.runtime import Runtime
from connectors.mapping import SyncedEntity
from core.db import unit_of_work
from core.outbox.models import Change, EntityType
from core.outbox.service import record_changes
from plans import service as accounts
from plans.opportunities import edits, pipeline
from plans.opportunities.models import OpportunityPlan, PlanStakeholder
from plans.opportunities.tables import OpportunityRow
from tests.conftest import Tenant
from tests.integration.test_crm_sync import get_account, load_deals, make_account, opportunities
from tests.notion_emulator import WebhookRequest
from tests.support.notion_sync import NotionSync, notion_sync

ACCOUNT = SyncedEntity.ACCOUNT
PERSON = SyncedEntity.STAKEHOLDER
DEAL = SyncedEntity.OPPORTUNITY


@pytest.fixture
def sync(runtime: Runtime, tenant: Tenant) -> Iterator[NotionSync]:
    with notion_sync(runtime, tenant.workspace.id) as started:
        yield started


def test_long_notes_go_in_2000_character_pieces_and_are_not_written_again(
    sync: NotionSync, runtime: Runtime, tenant: Tenant
) -> None:
    load_deals(runtime, tenant)
    deal = opportunities(runtime, tenant)[0]
    notes = "".join(
        f"Line {i}: the buying committee met again and asked for references.\n" for i in range(80)
    )
    assert len(notes) > 4_000
    with unit_of_work(runtime.session_factory) as session:
        config = pipeline.pipeline_config(session, tenant.workspace.id)
        edits.edit_plan(
            session,
            tenant.workspace.id,
            deal.id,
            edits.PlanEdit(notes=notes, reason="call notes"),
            config,
            "rep",
        )
    sync.settle()
    page = sync.external_id(DEAL, deal.id)
    assert page is not None
    pieces = sync.page(page)["properties"]["Notes"]["rich_text"]
    assert len(pieces) == (len(notes) + 1999) // 2000
    assert all(len(piece["plain_text"]) <= 2000 for piece in pieces)
    assert sync.value(page, DEAL, "notes") == notes
    again = sync.run(reconcile=True)
    assert again.calls.get("pages.update", 0) == 0


def test_a_relation_list_cut_at_25_is_read_in_full_and_never_written_back_short(
    sync: NotionSync, runtime: Runtime, tenant: Tenant
) -> None:
    load_deals(runtime, tenant)
    deal = opportunities(runtime, tenant)[0]
    with unit_of_work(runtime.session_factory) as session:
        people = [
            accounts.create_stakeholder(
                session,
                tenant.workspace.id,
                deal.account_id,
                accounts.StakeholderUpdate(full_name=f"Committee Member {i:02d}"),
            )
            for i in range(30)
        ]
        row = session.get(OpportunityRow, deal.id)
        assert row is not None
        plan = OpportunityPlan.model_validate(row.plan)
        plan.stakeholders += [
            PlanStakeholder(stakeholder_id=p.id, name=p.full_name) for p in people
        ]
        row.plan = plan.model_dump(mode="json")
        record_changes(session, [Change(tenant.workspace.id, EntityType.OPPORTUNITY, deal.id)])
    sync.settle()
    page = sync.external_id(DEAL, deal.id)
    assert page is not None
    contacts = sync.page(page)["properties"]["Contacts"]
    assert contacts["has_more"] is True and len(contacts["relation"]) == 25
    linked = {sync.external_id(PERSON, p.id) for p in people}
    sync.emulator.clock.advance(120)
    sync.rep_edit(page, DEAL, notes={"rich_text": [{"text": {"content": "edited in Notion"}}]})
    report = sync.run()
    assert report.calls.get("pages.properties.retrieve", 0) >= 1  # the full list was read
    assert report.calls.get("pages.update", 0) == 0  # nothing to put back
    (after,) = [d for d in opportunities(runtime, tenant) if d.id == deal.id]
    assert after.plan["notes"] == "edited in Notion"
    stored = sync.emulator.page_json(page)["properties"]["Contacts"]
    notion = sync.server.client()
    try:
        full = notion.pages.properties.retrieve(
            page_id=page, property_id=stored["id"], page_size=100
        )
    finally:
        notion.close()
    assert linked <= {item["relation"]["id"] for item in full["results"]}  # type: ignore[index]
    assert not [c for c in sync.conflicts() if c.field == "contacts"]


def test_a_renamed_column_keeps_syncing_and_a_retyped_one_pauses_only_its_record_type(
    sync: NotionSync, runtime: Runtime, tenant: Tenant, client: TestClient
) -> None:
    def post(request: WebhookRequest) -> int:
        url = f"/webhooks/notion/{sync.connection_id}"
        return client.post(url, content=request.body, headers=request.headers).status_code

    sync.emulator.webhooks.subscribe(post)
    sync.emulator.webhooks.send_verification()
    account = make_account(runtime, tenant, "Helix Bio", industry="Biotech")
    sync.run(reconcile=True)
    page = sync.external_id(ACCOUNT, account.id)
    assert page is not None
    sync.emulator.update_schema(sync.data_source(ACCOUNT), {"Industry": {"name": "Sector"}})
    sync.emulator.webhooks.deliver()
    with unit_of_work(runtime.session_factory) as session:
        accounts.update_account(
            session, tenant.workspace.id, account.id, accounts.AccountUpdate(industry="Pharma")
        )
    report = sync.run()
    assert report.error is None
    assert sync.page(page)["properties"]["Sector"]["select"]["name"] == "Pharma"
    assert sync.connection().paused == {}

    sync.emulator.update_schema(sync.data_source(ACCOUNT), {"Domain": {"rich_text": {}}})
    sync.emulator.webhooks.deliver()
    with unit_of_work(runtime.session_factory) as session:
        accounts.update_account(
            session, tenant.workspace.id, account.id, accounts.AccountUpdate(industry="Medtech")
        )
        person = accounts.create_stakeholder(
            session,
            tenant.workspace.id,
            account.id,
            accounts.StakeholderUpdate(full_name="Ana Ruiz"),
        )
    report = sync.run()
    assert report.error is None
    paused = sync.connection().paused
    assert list(paused) == ["account"] and "rich_text, not url" in paused["account"][0]
    assert sync.page(page)["properties"]["Sector"]["select"]["name"] == "Pharma"  # held back
    assert sync.external_id(PERSON, person.id) is not None  # people still sync
    status = client.get("/sync/status", headers=tenant.headers).json()[0]
    assert status["paused"] == paused

    sync.emulator.update_schema(sync.data_source(ACCOUNT), {"Domain": {"url": {}}})
    sync.emulator.webhooks.deliver()
    sync.run()
    sync.run()
    assert sync.connection().paused == {}
    assert sync.page(page)["properties"]["Sector"]["select"]["name"] == "Medtech"  # caught up
    assert get_account(runtime, tenant, account.id).industry == "Medtech"


def test_action_items_edited_and_trashed_in_notion(
    sync: NotionSync, runtime: Runtime, tenant: Tenant
) -> None:
    load_deals(runtime, tenant)
    sync.settle()
    deal = next(d for d in opportunities(runtime, tenant) if len(d.plan["action_items"]) >= 2)
    first, second = (uuid.UUID(item["id"]) for item in deal.plan["action_items"][:2])
    first_page = sync.external_id(SyncedEntity.ACTION_ITEM, first)
    second_page = sync.external_id(SyncedEntity.ACTION_ITEM, second)
    assert first_page and second_page
    sync.emulator.clock.advance(120)
    sync.emulator.rep_edit(
        first_page,
        {"Status": {"select": {"name": "done"}}, "Due": {"date": {"start": "2026-08-01"}}},
    )
    sync.emulator.trash_page(second_page)
    sync.run(reconcile=True)
    with unit_of_work(runtime.session_factory) as session:
        row = session.scalar(select(OpportunityRow).where(OpportunityRow.id == deal.id))
        assert row is not None
        items = {item["id"]: item for item in row.plan["action_items"]}
    assert items[str(first)]["status"] == "done" and items[str(first)]["due"] == "2026-08-01"
    assert items[str(second)]["deleted_at"] is not None
    sync.emulator.restore_page(second_page)
    sync.run()
    with unit_of_work(runtime.session_factory) as session:
        row = session.get(OpportunityRow, deal.id)
        assert row is not None
        restored = next(i for i in row.plan["action_items"] if i["id"] == str(second))
    assert restored["deleted_at"] is None
