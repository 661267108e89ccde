"""CRM sync cost and throughput against the Notion emulator (embedded stores unless
DATABASE_URL / GRAPH_URL are set).

1. Steady state: `--records` accounts already in Notion; rounds that change `--changed`
   of them here, then rounds that change nothing. Notion API calls per changed record
   (writes, and everything: polls and echo reads included), against a baseline in the
   same run: a sync without shadows that writes every record each round.
2. Backfill: `--backfill` accounts never seen by Notion, pushed under the emulator's
   limit of 3 requests a second (time sped up `--scale` times): the share of the allowed
   request budget spent on useful writes, against a baseline in the same run:
   notion-client's own retries with no limiter, on `--naive` records.

    python -m bench.crm_sync [--records 1000] [--changed 200] [--backfill 10000] [--scale 20]
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from notion_client import Client
from sqlalchemy import insert

from app.runtime import Runtime
from app.settings import load_settings
from connectors.mapping import SyncedEntity
from connectors.sync.models import RunReport
from core.db import unit_of_work, utcnow
from core.tenancy import service as tenancy
from plans import service as accounts
from plans.tables import AccountRow
from tests.notion_emulator import DEFAULT_TOKEN, NotionEmulator, running_emulator
from tests.support.notion_sync import NotionSync, set_up_notion

ACCOUNT = SyncedEntity.ACCOUNT


def bulk_accounts(
    runtime: Runtime, workspace_id: uuid.UUID, count: int, prefix: str
) -> list[uuid.UUID]:
    """Accounts written straight to their table (the backfill reads the table, not the
    outbox), in one statement."""
    now = utcnow()
    ids = [uuid.uuid4() for _ in range(count)]
    rows = [
        {
            "id": ids[i],
            "workspace_id": workspace_id,
            "name": f"{prefix} {i:05d}",
            "industry": ("Retail", "Logistics", "Biotech", "Banking")[i % 4],
            "description": f"Account {i} of the benchmark.",
            "created_at": now,
            "updated_at": now,
        }
        for i in range(count)
    ]
    with unit_of_work(runtime.session_factory) as session:
        session.execute(insert(AccountRow), rows)
    return ids


def workspace(runtime: Runtime, name: str) -> uuid.UUID:
    with unit_of_work(runtime.session_factory) as session:
        return tenancy.ensure_workspace(session, name).id


def calls(reports: list[RunReport], kind: str | None = None) -> int:
    if kind is None:
        return sum(r.calls.get("total", 0) for r in reports)
    return sum(r.calls.get(kind, 0) for r in reports)


def steady_state(runtime: Runtime, records: int, changed: int, rounds: int) -> None:
    ws = workspace(runtime, f"steady-{uuid.uuid4().hex[:6]}")
    notion = NotionEmulator(start=datetime(2026, 7, 6, 9, 0, tzinfo=UTC))
    with running_emulator(notion) as server:
        sync = set_up_notion(runtime, ws, notion, server)
        ids = bulk_accounts(runtime, ws, records, "Steady")
        sync.run(reconcile=True)
        assert len(sync.pages(ACCOUNT)) == records
        changing: list[RunReport] = []
        # Round 0 is a warm-up, not measured: its poll still reads the whole backfill,
        # whose pages all carry the same minute.
        for round_number in range(rounds + 1):
            notion.clock.advance(300)
            with unit_of_work(runtime.session_factory) as session:
                for record_id in ids[round_number * changed : (round_number + 1) * changed]:
                    accounts.update_account(
                        session,
                        ws,
                        record_id,
                        accounts.AccountUpdate(industry=f"Sector {round_number}"),
                    )
            report = sync.run()
            if round_number > 0:
                changing.append(report)
        quiet = []
        for _ in range(rounds):
            notion.clock.advance(300)
            quiet.append(sync.run())
        # Baseline: write every record each round, as a sync without shadows must.
        naive_started = notion.stats.count(method="PATCH")
        client = server.client()
        try:
            pages = sync.pages(ACCOUNT)
            for page in pages[:changed]:
                client.pages.update(
                    page_id=page, properties={"Industry": {"select": {"name": "Naive"}}}
                )
        finally:
            client.close()
        naive_per_record = (notion.stats.count(method="PATCH") - naive_started) / changed
        sync.worker.close()
    changes = changed * rounds
    writes = calls(changing, "pages.update") + calls(changing, "pages.create")
    per_change = calls(changing) / changes
    baseline = records / changed * naive_per_record
    unchanged_writes = calls(quiet, "pages.update") / (records * rounds)
    lines = [
        f"steady state: {records} records in Notion, {changed} changed a round, {rounds} rounds",
        f"  writes per changed record        {writes / changes:.3f}",
        f"  all calls per changed record     {per_change:.3f}  (polls and echo reads included)",
        f"  writes per unchanged record      {unchanged_writes:.3f}",
        f"  calls a round with no change     {calls(quiet) / rounds:.1f}  (one poll a data source)",
        f"  baseline: a sync without shadows writes every record each round: {baseline:.2f} calls"
        f" per changed record -> ratio {per_change / baseline:.3f}",
    ]
    print("\n".join(lines))


def backfill(runtime: Runtime, count: int, scale: float) -> tuple[float, float]:
    ws = workspace(runtime, f"backfill-{uuid.uuid4().hex[:6]}")
    notion = NotionEmulator(start=datetime(2026, 7, 6, 9, 0, tzinfo=UTC))
    with running_emulator(notion) as server:
        sync: NotionSync = set_up_notion(
            runtime,
            ws,
            notion,
            server,
            NOTION_REQUESTS_PER_SECOND=3.0 * scale,
            NOTION_BURST=3,
            NOTION_MAX_WAIT_SECONDS=600.0,
            SYNC_BATCH_SIZE=100,
        )
        bulk_accounts(runtime, ws, count, "Backfill")
        notion.enable_rate_limit(rate=3, burst=10, scale=scale)
        requests_before = notion.stats.count()
        started = time.perf_counter()
        report = sync.run(reconcile=True)
        elapsed = time.perf_counter() - started
        requests = notion.stats.count() - requests_before
        limited = notion.stats.count(status=429)
        sync.worker.close()
    budget = elapsed * 3.0 * scale
    useful = report.created_remote
    assert len(set(notion.pages_in(sync.data_source(ACCOUNT)))) == count
    print(f"backfill: {count} records, Notion limit 3 requests/s, time x{scale:g}")
    at_pace = elapsed * scale / 60
    print(
        f"  {elapsed:.1f} s real ({at_pace:.1f} min at Notion's pace), {requests} requests,", end=""
    )
    print(f" {limited} answered 429")
    print(f"  useful writes {useful} of a budget of {budget:.0f} requests -> {useful / budget:.1%}")
    return useful / budget, elapsed


def naive_backfill(count: int, scale: float) -> float:
    """notion-client with its built-in retries and no limiter, creating `count` pages."""
    notion = NotionEmulator(start=datetime(2026, 7, 6, 9, 0, tzinfo=UTC))
    with running_emulator(notion) as server:
        client = Client(
            auth=DEFAULT_TOKEN, base_url=server.base_url, log_level=logging.CRITICAL
        )  # its default retry policy
        try:
            database: Any = client.databases.create(
                parent={"type": "page_id", "page_id": notion.root_page_id},
                title=[{"type": "text", "text": {"content": "Naive"}}],
                initial_data_source={"properties": {"Name": {"title": {}}}},
            )
            data_source = database["data_sources"][0]["id"]
            notion.enable_rate_limit(rate=3, burst=10, scale=scale)
            started = time.perf_counter()
            for i in range(count):
                client.pages.create(
                    parent={"type": "data_source_id", "data_source_id": data_source},
                    properties={"Name": {"title": [{"text": {"content": f"Naive {i}"}}]}},
                )
            elapsed = time.perf_counter() - started
        finally:
            client.close()
    share = count / (elapsed * 3.0 * scale)
    print(
        f"baseline backfill (notion-client retries, no limiter): {count} records in {elapsed:.1f} s"
    )
    print(
        f"  useful writes {count} of a budget of {elapsed * 3 * scale:.0f} requests -> {share:.1%}"
    )
    return share


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--changed", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--backfill", type=int, default=10_000)
    parser.add_argument("--naive", type=int, default=1_000)
    parser.add_argument("--scale", type=float, default=20.0)
    args = parser.parse_args()
    if args.changed * (args.rounds + 1) > args.records:
        parser.error("--changed x (--rounds + 1) must not exceed --records")
    settings = load_settings(DATA_DIR=Path(tempfile.mkdtemp(prefix="bench-sync-")))
    with Runtime.start(settings) as runtime:
        steady_state(runtime, args.records, args.changed, args.rounds)
        ours, _ = backfill(runtime, args.backfill, args.scale)
    naive = naive_backfill(args.naive, args.scale)
    print(
        f"useful-write share: ours {ours:.1%} vs baseline {naive:.1%} -> ratio {ours / naive:.2f}"
    )


if __name__ == "__main__":
    main()
