"""Several worker processes on one PostgreSQL: each has its own engine, pools and graph
client (a `Runtime` of its own), and they run at the same moment. Every outbox row is
applied once, every account's scores are recomputed once for the requests that were
waiting, a CRM is polled and reconciled once per interval, and every conversation left
stored is finished once, whichever process picks the work up."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.runtime import Runtime
from app.settings import Settings
from app.workers.sync import SyncWorker
from connectors.sync.models import RunReport
from core.db import unit_of_work, utcnow
from core.outbox.models import Change, EntityType
from core.outbox.service import record_changes
from core.outbox.tables import OutboxRow
from graph.repository import WorkspaceGraph
from plans import service as plans
from plans.conversations.resume import Resumer
from plans.map.projector import GRAPH_CONSUMER
from plans.map.worker import SCORING_CONSUMER
from tests.conftest import Tenant
from tests.integration.test_resume_stored import left_stored, statuses
from tests.support.notion_sync import notion_sync

PROCESSES = 3


@pytest.fixture
def processes(settings: Settings, runtime: Runtime) -> Iterator[list[Runtime]]:
    """The test's runtime and two more, as three processes would each have."""
    others = [Runtime.start(settings, migrate_database=False) for _ in range(PROCESSES - 1)]
    try:
        yield [runtime, *others]
    finally:
        for other in others:
            other.stop()


def run_together(rounds: list[Callable[[], int]]) -> list[int]:
    """Run each worker's `run_once` in a thread of its own, all starting at once, until a
    round finds nothing; return how many rows each handled."""
    start = threading.Barrier(len(rounds))

    def drain(run_once: Callable[[], int]) -> int:
        start.wait()
        total = 0
        while handled := run_once():
            total += handled
        return total

    with ThreadPoolExecutor(len(rounds)) as pool:
        return list(pool.map(drain, rounds))


def rows_of(runtime: Runtime, consumer: str) -> list[OutboxRow]:
    with unit_of_work(runtime.session_factory) as session:
        rows = list(session.scalars(select(OutboxRow).where(OutboxRow.consumer == consumer)))
        session.expunge_all()
        return rows


def test_graph_projectors_in_several_processes_apply_each_row_once(
    processes: list[Runtime], tenant: Tenant
) -> None:
    runtime = processes[0]
    with unit_of_work(runtime.session_factory) as session:
        for index in range(120):
            plans.create_account(
                session, tenant.workspace.id, plans.AccountCreate(name=f"Account {index}")
            )
    projectors = [process.projector() for process in processes]
    for projector in projectors:
        projector.batch_size = 7  # many small claims, so the processes interleave

    handled = run_together([projector.run_once for projector in projectors])

    assert sum(handled) == 120  # a row applied twice would be counted twice
    rows = rows_of(runtime, GRAPH_CONSUMER)
    assert len(rows) == 120
    assert all(row.processed_at is not None and row.attempts == 0 for row in rows)
    assert len(WorkspaceGraph(runtime.graph, tenant.workspace.id).accounts()) == 120


def recomputations(runtime: Runtime, account_id: uuid.UUID) -> int:
    """How many times the account's scores were recomputed: each recomputation asks for
    the account's graph to be projected again."""
    with unit_of_work(runtime.session_factory) as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(OutboxRow)
                .where(
                    OutboxRow.consumer == GRAPH_CONSUMER,
                    OutboxRow.entity_type == EntityType.ACCOUNT_GRAPH.value,
                    OutboxRow.entity_id == account_id,
                    OutboxRow.origin == "scoring",
                )
            )
            or 0
        )


def test_scoring_workers_in_several_processes_recompute_each_account_once(
    processes: list[Runtime], tenant: Tenant
) -> None:
    runtime = processes[0]
    with unit_of_work(runtime.session_factory) as session:
        accounts = [
            plans.create_account(
                session, tenant.workspace.id, plans.AccountCreate(name=f"Account {index}")
            ).id
            for index in range(8)
        ]
    with unit_of_work(runtime.session_factory) as session:
        # Three conversations of every account, interleaved, all waiting to be scored.
        record_changes(
            session,
            [
                Change(tenant.workspace.id, EntityType.ACCOUNT_SCORES, account, origin="test")
                for _ in range(3)
                for account in accounts
            ],
        )
    workers = [process.scoring_worker() for process in processes]
    for worker in workers:
        worker.batch_size = 4

    handled = run_together([worker.run_once for worker in workers])

    assert sum(handled) == 24
    assert all(row.processed_at is not None for row in rows_of(runtime, SCORING_CONSUMER))
    assert [recomputations(runtime, account) for account in accounts] == [1] * 8


def sync_rounds(workers: list[SyncWorker], runs: int) -> list[RunReport]:
    """Every worker, all starting at the same moment, runs rounds over the (one)
    connection until it has had the connection to itself `runs` times (a round finding
    another worker on it is skipped)."""
    start = threading.Barrier(len(workers))

    def run(worker: SyncWorker) -> list[RunReport]:
        start.wait()
        reports: list[RunReport] = []
        while sum(not report.skipped for report in reports) < runs:
            reports += worker.run_all()
        return reports

    with ThreadPoolExecutor(len(workers)) as pool:
        return [report for reports in pool.map(run, workers) for report in reports]


def listings(reports: list[RunReport]) -> int:
    """Queries of a CRM record type's list (what a poll or a reconcile costs)."""
    return sum(report.calls.get("data_sources.query", 0) for report in reports)


def test_crm_sync_in_several_processes_polls_and_reconciles_once_per_interval(
    processes: list[Runtime], tenant: Tenant
) -> None:
    clock = [utcnow()]
    with notion_sync(processes[0], tenant.workspace.id, SYNC_POLL_SECONDS=600) as sync:
        types = len(sync.connection().active_entities())
        workers = [
            SyncWorker(process.session_factory, sync.settings, now=lambda: clock[0])
            for process in processes
        ]
        try:
            first = sync_rounds(workers, runs=2)
            assert [report.reconciled for report in first].count(True) == 1
            assert listings(first) == types  # the reconcile's listing, and no poll after it

            clock[0] += timedelta(minutes=11)  # the poll interval has passed
            later = sync_rounds(workers, runs=2)
            assert not any(report.reconciled for report in later)
            assert listings(later) == types  # one poll of every record type, by one process
            assert all(report.error is None for report in first + later)
        finally:
            for worker in workers:
                worker.close()


def test_resumers_in_several_processes_finish_each_conversation_once(
    processes: list[Runtime], tenant: Tenant
) -> None:
    left_stored(processes[0], tenant, 12)
    resumers = [Resumer(process.ingestor, timedelta(minutes=5), 3) for process in processes]

    finished = run_together([resumer.run_once for resumer in resumers])

    assert sum(finished) == 12  # none was processed twice
    assert statuses(processes[0]) == {"processed": 12}
