"""The CRM sync against the Notion emulator: the scenarios of SYNC.md, end to end through
the real notion-client, the real engine and a real Postgres."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.demo import demo_data, ingest_demo_conversations
from app.runtime import Runtime
from connectors.mapping import SyncedEntity
from core.db import unit_of_work
from plans import repository as plans_repository
from plans import service as accounts
from plans.catalogue import service as catalogue_service
from plans.catalogue.models import Catalogue
from plans.models import Account
from plans.opportunities import edits, pipeline
from plans.opportunities.tables import OpportunityRow
from tests.conftest import Tenant
from tests.notion_emulator import Fault
from tests.support.notion_sync import NotionSync, notion_sync

ACCOUNT = SyncedEntity.ACCOUNT
PERSON = SyncedEntity.STAKEHOLDER
DEAL = SyncedEntity.OPPORTUNITY
TASK = SyncedEntity.ACTION_ITEM


@pytest.fixture
def sync(runtime: Runtime, tenant: Tenant) -> Iterator[NotionSync]:
    with notion_sync(runtime, tenant.workspace.id) as started:
        yield started


def make_account(runtime: Runtime, tenant: Tenant, name: str, **fields: object) -> Account:
    with unit_of_work(runtime.session_factory) as session:
        return accounts.create_account(
            session, tenant.workspace.id, accounts.AccountCreate(name=name, **fields)
        )


def get_account(runtime: Runtime, tenant: Tenant, account_id: uuid.UUID) -> Account:
    with unit_of_work(runtime.session_factory) as session:
        return accounts.get_account(session, tenant.workspace.id, account_id)


def update_account(
    runtime: Runtime, tenant: Tenant, account_id: uuid.UUID, **fields: object
) -> None:
    with unit_of_work(runtime.session_factory) as session:
        accounts.update_account(
            session, tenant.workspace.id, account_id, accounts.AccountUpdate(**fields)
        )


def load_deals(runtime: Runtime, tenant: Tenant) -> None:
    """The demo conversations: accounts, people, deals with plans and action items."""
    with unit_of_work(runtime.session_factory) as session:
        text = (demo_data() / "catalogue.json").read_text()
        catalogue_service.set_catalogue(
            session, tenant.workspace.id, Catalogue.model_validate_json(text)
        )
    ingest_demo_conversations(runtime, tenant.workspace)
    runtime.drain()


def opportunities(runtime: Runtime, tenant: Tenant) -> list[OpportunityRow]:
    with unit_of_work(runtime.session_factory) as session:
        rows = list(
            session.scalars(
                select(OpportunityRow)
                .where(OpportunityRow.workspace_id == tenant.workspace.id)
                .order_by(OpportunityRow.created_at)
            )
        )
        session.expunge_all()
        return rows


# --- records made here ---------------------------------------------------------------------


def test_record_created_here_appears_in_notion_once(
    sync: NotionSync, runtime: Runtime, tenant: Tenant
) -> None:
    account = make_account(runtime, tenant, "Helix Bio", domain="helix.example", industry="Biotech")
    first = sync.run(reconcile=True)
    assert first.error is None, first.error
    assert first.created_remote == 1
    (page,) = sync.pages(ACCOUNT)
    assert sync.value(page, ACCOUNT, "name") == "Helix Bio"
    assert sync.value(page, ACCOUNT, "domain") == "helix.example"
    assert sync.value(page, ACCOUNT, "industry") == "Biotech"
    assert sync.external_id(ACCOUNT, account.id) == page
    again = sync.run()
    assert again.calls.get("pages.create", 0) == again.calls.get("pages.update", 0) == 0
    later = sync.run(reconcile=True)
    assert later.calls.get("pages.create", 0) == 0
    assert len(sync.pages(ACCOUNT)) == 1


def test_deals_people_and_action_items_reach_notion_with_their_links(
    sync: NotionSync, runtime: Runtime, tenant: Tenant
) -> None:
    load_deals(runtime, tenant)
    sync.settle()
    deals = opportunities(runtime, tenant)
    assert deals, "the demo conversations create deals"
    assert len(sync.pages(DEAL)) == len(deals)
    for deal in deals:
        page = sync.external_id(DEAL, deal.id)
        assert page is not None
        assert sync.value(page, DEAL, "stage") == deal.stage
        assert sync.value(page, DEAL, "account") == [sync.external_id(ACCOUNT, deal.account_id)]
        if deal.amount is not None:
            assert sync.value(page, DEAL, "amount") == float(deal.amount)
        if deal.close_date is not None:
            assert sync.value(page, DEAL, "close_date") == deal.close_date.isoformat()
        items = deal.plan["action_items"]
        for item in items:
            item_page = sync.external_id(TASK, uuid.UUID(item["id"]))
            assert item_page is not None
            assert sync.value(item_page, TASK, "opportunity") == [page]
            assert sync.value(item_page, TASK, "action") == item["action"]
        contacts = sync.value(page, DEAL, "contacts")
        assert all(sync.record_id(contact) is not None for contact in contacts)
    people = sync.pages(PERSON)
    assert people and all(sync.value(p, PERSON, "account") for p in people)
    # Every record once: as many pages as links, no page without our id.
    assert sync.link_count() == sum(len(sync.pages(e)) for e in SyncedEntity)
    settled = sync.run(reconcile=True)
    assert settled.calls.get("pages.create", 0) == settled.calls.get("pages.update", 0) == 0


# --- edits in Notion ------------------------------------------------------------------------


def test_a_reps_edit_in_notion_comes_back(
    sync: NotionSync, runtime: Runtime, tenant: Tenant
) -> None:
    account = make_account(runtime, tenant, "Helix Bio", industry="Biotech")
    sync.run(reconcile=True)
    page = sync.external_id(ACCOUNT, account.id)
    assert page is not None
    sync.emulator.clock.advance(60)
    sync.rep_edit(
        page,
        ACCOUNT,
        description={"rich_text": [{"text": {"content": "Renewal owner changed in May."}}]},
        domain={"url": "https://www.helix.example/about"},
    )
    report = sync.run()
    assert report.error is None
    assert report.pulled == 1
    after = get_account(runtime, tenant, account.id)
    assert after.description == "Renewal owner changed in May."
    assert after.domain == "helix.example"  # our normalised form, written back to Notion
    sync.run()
    assert sync.value(page, ACCOUNT, "domain") == "helix.example"
    assert not sync.conflicts()


def test_both_sides_edit_different_fields_and_both_are_kept(
    sync: NotionSync, runtime: Runtime, tenant: Tenant
) -> None:
    account = make_account(runtime, tenant, "Helix Bio", industry="Biotech")
    sync.run(reconcile=True)
    page = sync.external_id(ACCOUNT, account.id)
    assert page is not None
    sync.emulator.clock.advance(120)
    sync.rep_edit(page, ACCOUNT, description={"rich_text": [{"text": {"content": "Notion note"}}]})
    update_account(runtime, tenant, account.id, industry="Life sciences")
    sync.run()
    sync.run()
    after = get_account(runtime, tenant, account.id)
    assert after.description == "Notion note"
    assert after.industry == "Life sciences"
    assert sync.value(page, ACCOUNT, "description") == "Notion note"
    assert sync.value(page, ACCOUNT, "industry") == "Life sciences"
    assert not sync.conflicts()


def test_both_sides_edit_the_same_field_the_rule_decides_and_the_conflict_is_logged(
    sync: NotionSync, runtime: Runtime, tenant: Tenant
) -> None:
    account = make_account(runtime, tenant, "Helix Bio", description="ours v1")
    sync.run(reconcile=True)
    page = sync.external_id(ACCOUNT, account.id)
    assert page is not None
    sync.emulator.clock.advance(120)
    update_account(runtime, tenant, account.id, description="ours v2")
    sync.rep_edit(page, ACCOUNT, description={"rich_text": [{"text": {"content": "theirs v2"}}]})
    sync.run()
    sync.run()
    # description is free text a rep types in the CRM: notion_wins by default.
    assert get_account(runtime, tenant, account.id).description == "theirs v2"
    assert sync.value(page, ACCOUNT, "description") == "theirs v2"
    (conflict,) = sync.conflicts()
    assert (conflict.field, conflict.local_value, conflict.remote_value) == (
        "description",
        "ours v2",
        "theirs v2",
    )
    assert (conflict.shadow_value, conflict.rule, conflict.winner) == ("ours v1", "crm_wins", "crm")
    assert conflict.status == "resolved"


def test_a_computed_field_wins_for_postgres_and_a_notion_edit_of_it_is_put_back(
    sync: NotionSync, runtime: Runtime, tenant: Tenant
) -> None:
    load_deals(runtime, tenant)
    sync.settle()
    deal = opportunities(runtime, tenant)[0]
    page = sync.external_id(DEAL, deal.id)
    assert page is not None
    sync.emulator.clock.advance(120)
    sync.rep_edit(
        page, DEAL, probability={"number": 0.99}, product_line={"select": {"name": "Other"}}
    )
    sync.run()
    sync.run()
    assert sync.value(page, DEAL, "probability") == round(deal.probability, 2)
    assert sync.value(page, DEAL, "product_line") == deal.product_line
    logged = {c.field: c for c in sync.conflicts()}
    assert logged["probability"].rule == "read_only" and logged["probability"].winner == "postgres"
    assert logged["product_line"].remote_value == "Other"


def test_stage_edited_on_both_sides_goes_to_postgres(
    sync: NotionSync, runtime: Runtime, tenant: Tenant
) -> None:
    load_deals(runtime, tenant)
    sync.settle()
    deal = opportunities(runtime, tenant)[0]
    page = sync.external_id(DEAL, deal.id)
    assert page is not None
    sync.emulator.clock.advance(120)
    with unit_of_work(runtime.session_factory) as session:
        config = pipeline.pipeline_config(session, tenant.workspace.id)
        stages = config.stage_model.keys()
        ours = next(s for s in stages if s != deal.stage and not s.startswith("closed"))
        edits.edit_opportunity(
            session,
            tenant.workspace.id,
            deal.id,
            edits.OpportunityEdit(stage=ours, reason="moved in the weekly review"),
            config,
            "rep@example.com",
        )
    theirs = next(s for s in stages if s not in (deal.stage, ours) and not s.startswith("closed"))
    sync.rep_edit(page, DEAL, stage={"select": {"name": theirs}})
    sync.run()
    sync.run()
    assert sync.value(page, DEAL, "stage") == ours
    (conflict,) = [c for c in sync.conflicts() if c.field == "stage"]
    assert (conflict.rule, conflict.winner, conflict.remote_value) == (
        "postgres_wins",
        "postgres",
        theirs,
    )


def test_a_reps_amount_and_close_date_in_notion_become_rep_edits(
    sync: NotionSync, runtime: Runtime, tenant: Tenant
) -> None:
    load_deals(runtime, tenant)
    sync.settle()
    deal = opportunities(runtime, tenant)[0]
    page = sync.external_id(DEAL, deal.id)
    assert page is not None
    sync.emulator.clock.advance(120)
    sync.rep_edit(
        page,
        DEAL,
        amount={"number": 182500},
        close_date={"date": {"start": "2026-09-30T16:45:31+02:00", "time_zone": "Europe/Paris"}},
    )
    sync.run()
    sync.run()
    (after,) = [d for d in opportunities(runtime, tenant) if d.id == deal.id]
    assert after.amount == Decimal("182500")
    assert after.close_date is not None and after.close_date.isoformat() == "2026-09-30"
    assert {"amount", "close_date"} <= set(after.plan["rep_fields"])
    assert sync.value(page, DEAL, "close_date") == "2026-09-30"  # a day here, written back as a day


def test_a_value_notion_sends_that_we_cannot_take_is_logged_and_ours_put_back(
    sync: NotionSync, runtime: Runtime, tenant: Tenant
) -> None:
    load_deals(runtime, tenant)
    sync.settle()
    deal = opportunities(runtime, tenant)[0]
    page = sync.external_id(DEAL, deal.id)
    assert page is not None
    sync.emulator.clock.advance(120)
    sync.rep_edit(page, DEAL, currency={"select": {"name": "dollars"}})
    report = sync.run()
    assert report.error is None
    sync.run()
    (after,) = [d for d in opportunities(runtime, tenant) if d.id == deal.id]
    assert after.currency == deal.currency
    (conflict,) = [c for c in sync.conflicts() if c.field == "currency"]
    assert conflict.rule == "rejected" and "currency" in conflict.reason
    assert sync.value(page, DEAL, "currency") == deal.currency


# --- echoes, minutes, timestamps --------------------------------------------------------------


def test_an_edit_in_the_same_minute_as_our_write_is_not_taken_for_an_echo(
    sync: NotionSync, runtime: Runtime, tenant: Tenant
) -> None:
    account = make_account(runtime, tenant, "Helix Bio", industry="Biotech")
    sync.run(reconcile=True)
    page = sync.external_id(ACCOUNT, account.id)
    assert page is not None
    sync.emulator.clock.advance(65)
    update_account(runtime, tenant, account.id, industry="Life sciences")
    sync.run()  # our write at hh:mm:05, echoed as hh:mm:00
    stamped = sync.page(page)["last_edited_time"]
    sync.emulator.clock.advance(30)  # the same minute
    sync.rep_edit(page, ACCOUNT, industry={"select": {"name": "Pharma"}})
    assert sync.page(page)["last_edited_time"] == stamped
    sync.run()
    assert get_account(runtime, tenant, account.id).industry == "Pharma"


def test_many_pages_sharing_one_minute_are_all_read(
    sync: NotionSync, runtime: Runtime, tenant: Tenant
) -> None:
    made = [make_account(runtime, tenant, f"Account {i:03d}") for i in range(130)]
    sync.run(reconcile=True)
    sync.emulator.set_short_pages(37, seed=3)  # Notion sometimes answers short pages
    sync.emulator.clock.advance(300)
    for account in made:
        page = sync.external_id(ACCOUNT, account.id)
        assert page is not None
        sync.rep_edit(
            page, ACCOUNT, description={"rich_text": [{"text": {"content": f"seen {page}"}}]}
        )
    sync.run()
    for account in made:
        assert get_account(runtime, tenant, account.id).description == (
            f"seen {sync.external_id(ACCOUNT, account.id)}"
        )


# --- deletes ----------------------------------------------------------------------------------


def test_a_page_trashed_in_notion_is_soft_deleted_here_and_can_come_back(
    sync: NotionSync, runtime: Runtime, tenant: Tenant
) -> None:
    account = make_account(runtime, tenant, "Helix Bio")
    sync.run(reconcile=True)
    page = sync.external_id(ACCOUNT, account.id)
    assert page is not None
    sync.emulator.clock.advance(60)
    sync.emulator.trash_page(page)
    sync.run(reconcile=True)  # trashed pages leave query results: the reconcile finds them
    with unit_of_work(runtime.session_factory) as session:
        assert plans_repository.get_account(session, tenant.workspace.id, account.id) is None
    sync.emulator.clock.advance(60)
    sync.emulator.restore_page(page)
    sync.run()
    assert get_account(runtime, tenant, account.id).name == "Helix Bio"
    assert sync.page(page)["in_trash"] is False
    assert len(sync.pages(ACCOUNT, include_trashed=True)) == 1


def test_an_account_deleted_here_goes_to_the_notion_trash(
    sync: NotionSync, runtime: Runtime, tenant: Tenant
) -> None:
    account = make_account(runtime, tenant, "Helix Bio")
    sync.run(reconcile=True)
    page = sync.external_id(ACCOUNT, account.id)
    assert page is not None
    with unit_of_work(runtime.session_factory) as session:
        accounts.set_account_deleted(session, tenant.workspace.id, account.id, True)
    sync.run()
    assert sync.page(page)["in_trash"] is True
    with unit_of_work(runtime.session_factory) as session:
        accounts.set_account_deleted(session, tenant.workspace.id, account.id, False)
    sync.run()
    assert sync.page(page)["in_trash"] is False


# --- records made in Notion --------------------------------------------------------------------


def test_records_made_in_notion_are_created_here_and_stamped_with_our_id(
    sync: NotionSync, runtime: Runtime, tenant: Tenant
) -> None:
    sync.run(reconcile=True)
    account_page = sync.emulator.create_pages(
        sync.data_source(ACCOUNT),
        [{sync.column(ACCOUNT, "name"): {"title": [{"text": {"content": "Made in Notion Ltd"}}]}}],
    )[0]
    person_page = sync.emulator.create_pages(
        sync.data_source(PERSON),
        [
            {
                sync.column(PERSON, "name"): {"title": [{"text": {"content": "Dana Whitfield"}}]},
                sync.column(PERSON, "title"): {"rich_text": [{"text": {"content": "CFO"}}]},
                sync.column(PERSON, "email"): {"email": "dana@madeinnotion.example"},
                sync.column(PERSON, "account"): {"relation": [{"id": account_page}]},
            }
        ],
    )[0]
    sync.settle()
    account_id = sync.record_id(account_page)
    person_id = sync.record_id(person_page)
    assert account_id is not None and person_id is not None, [c.reason for c in sync.conflicts()]
    assert get_account(runtime, tenant, account_id).name == "Made in Notion Ltd"
    with unit_of_work(runtime.session_factory) as session:
        (person,) = plans_repository.stakeholders_by_ids(session, tenant.workspace.id, [person_id])
    assert (person.full_name, person.title, person.account_id) == (
        "Dana Whitfield",
        "CFO",
        account_id,
    )
    assert person.emails == ("dana@madeinnotion.example",)
    record_id = sync.page(account_page)["properties"]["Record ID"]["rich_text"][0]["plain_text"]
    assert record_id == str(account_id)


def test_a_duplicated_notion_page_is_not_taken_for_a_second_record(
    sync: NotionSync, runtime: Runtime, tenant: Tenant
) -> None:
    account = make_account(runtime, tenant, "Helix Bio")
    sync.run(reconcile=True)
    page = sync.external_id(ACCOUNT, account.id)
    assert page is not None
    copied = sync.page(page)["properties"]
    sync.emulator.create_pages(
        sync.data_source(ACCOUNT),
        [
            {
                sync.column(ACCOUNT, "name"): {
                    "title": [{"text": {"content": "Helix Bio (copy)"}}]
                },
                "Record ID": {
                    "rich_text": [
                        {"text": {"content": copied["Record ID"]["rich_text"][0]["plain_text"]}}
                    ]
                },
            }
        ],
    )
    sync.run(reconcile=True)
    sync.run(reconcile=True)
    assert get_account(runtime, tenant, account.id).name == "Helix Bio"
    issues = [c for c in sync.conflicts() if c.field == "*"]
    assert len(issues) == 1 and "copy" in issues[0].reason


# --- failures ---------------------------------------------------------------------------------


def test_a_storm_of_429_and_5xx_lands_every_change_once(
    sync: NotionSync, runtime: Runtime, tenant: Tenant
) -> None:
    made = [make_account(runtime, tenant, f"Storm {i:02d}", industry="Retail") for i in range(40)]
    faults = sync.emulator.faults
    faults.retry_after = "0.05"
    for fault in (
        Fault.RATE_LIMITED,
        Fault.SERVICE_OVERLOAD,
        Fault.BAD_GATEWAY_HTML,
        Fault.INTERNAL_SERVER_ERROR,
        Fault.CONFLICT,
        Fault.COMMIT_THEN_500,
        Fault.COMMIT_THEN_504_HTML,
    ):
        faults.randomly(fault, 0.06, seed=len(fault.value))
    for _ in range(30):
        report = sync.run(reconcile=True)
        if (
            report.error is None
            and len(sync.pages(ACCOUNT)) == len(made)
            and sync.link_count() == len(made)
        ):
            break
    for account in made:
        update_account(runtime, tenant, account.id, industry="Wholesale")
    for _ in range(30):
        report = sync.run()
        if report.error is None and not sync.backlog():
            break
    faults.clear()
    sync.run(reconcile=True)
    pages = sync.pages(ACCOUNT)
    assert len(pages) == len(made)
    assert sorted(sync.value(p, ACCOUNT, "name") for p in pages) == sorted(a.name for a in made)
    assert all(sync.value(p, ACCOUNT, "industry") == "Wholesale" for p in pages)
    assert sync.emulator.faults.injected, "the storm happened"
