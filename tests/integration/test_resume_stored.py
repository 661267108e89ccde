"""Conversations a failure left `stored` (stored, then processing failed or the process
died) are finished by the background workers of `serve` and of `worker` on their own,
once they have waited longer than any request still processing them could take
(RESUME_STORED_AFTER_SECONDS); the `reprocess` command is no longer needed for it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select, update

from app.runtime import Runtime
from app.settings import Settings
from core.db import unit_of_work
from plans.conversations import service
from plans.conversations.models import ConversationIn
from plans.conversations.tables import ConversationRow
from tests.conftest import Tenant
from tests.helpers import eventually

LEFT_FOR = timedelta(minutes=14)


def conversation(index: int) -> ConversationIn:
    person = f"Person {index}"
    return ConversationIn.model_validate(
        {
            "external_id": f"left-stored-{index}",
            "account": {"name": "Helix Health", "domain": "helixhealth.org"},
            "occurred_at": f"2026-01-{index + 1:02d}T15:00:00Z",
            "channel": "call",
            "participants": [{"name": person, "side": "customer", "title": "VP Finance"}],
            "turns": [{"speaker": person, "text": "Budget is approved at $150k for this."}],
        }
    )


def left_stored(runtime: Runtime, tenant: Tenant, count: int) -> list[uuid.UUID]:
    """Conversations stored `LEFT_FOR` ago whose processing never happened (the first
    step of an ingest committed, then the failure)."""
    with unit_of_work(runtime.session_factory) as session:
        ids = [
            service.store(
                session, tenant.workspace.id, conversation(index), runtime.ingestor.limits
            ).row.id
            for index in range(count)
        ]
        session.execute(
            update(ConversationRow)
            .where(ConversationRow.id.in_(ids))
            .values(created_at=func.now() - LEFT_FOR)
        )
    return ids


def statuses(runtime: Runtime) -> Counter[str]:
    with unit_of_work(runtime.session_factory) as session:
        return Counter(session.scalars(select(ConversationRow.status)))


def test_serve_finishes_conversations_left_stored(runtime: Runtime, tenant: Tenant) -> None:
    left_stored(runtime, tenant, 12)
    runtime.start_background_workers()  # what `serve` starts beside the API
    assert eventually(lambda: statuses(runtime) == {"processed": 12}, attempts=1200)


def test_the_worker_command_finishes_conversations_left_stored(
    settings: Settings, runtime: Runtime, tenant: Tenant
) -> None:
    left_stored(runtime, tenant, 12)
    env = {
        **os.environ,
        "DATABASE_URL": str(settings.DATABASE_URL),
        "GRAPH_URL": str(settings.GRAPH_URL),
        "GRAPH_DATABASE": settings.graph_name,
        "DATA_DIR": str(settings.DATA_DIR),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "app", "worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        finished = eventually(lambda: statuses(runtime) == {"processed": 12}, attempts=2400)
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=60)
    assert finished, output
    assert worker.returncode == 0, output
