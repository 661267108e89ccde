"""End-to-end ingest speed (rule-based extractor, embedded stores unless DATABASE_URL /
GRAPH_URL are set).

1. A realistic 30-minute call (the longest labelled transcript): the full pipeline
   (store, extract, detect, plans, outbox) against storing the same raw conversation
   alone, alternating A/B, as a ratio measured in this run.
2. A batch of 1,000 varied conversations: conversations per second.

    python -m bench.ingest_speed [--rounds 15] [--batch 1000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from app.runtime import Runtime
from app.settings import load_settings
from bench.quality.labels import load_catalogue, load_labelled
from core.db import unit_of_work
from core.tenancy import service as tenancy
from plans.catalogue import service as catalogue_service
from plans.conversations import service as conversations
from plans.conversations.models import ConversationIn


def words(item: dict[str, Any]) -> int:
    content = (
        " ".join(t["text"] for t in item["turns"]) if item.get("turns") else item.get("text") or ""
    )
    return len(content.split())


def variant(item: dict[str, Any], index: int, account_group: int | None = None) -> ConversationIn:
    """The conversation under a new id; its own account unless a group is given."""
    body = {k: v for k, v in item.items() if k != "labels"}
    group = index if account_group is None else index // account_group
    body["external_id"] = f"bench-{uuid.uuid4().hex[:8]}-{index}"
    body["account"] = {
        "name": f"{item['account']['name']} {group}",
        "domain": f"bench{group}-{uuid.uuid4().hex[:6]}.example.com",
    }
    if account_group is not None:
        body["account"]["domain"] = f"bench-group-{group}.example.com"
    return ConversationIn.model_validate(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    settings = load_settings(DATA_DIR=Path(tempfile.mkdtemp(prefix="bench-ingest-")))
    items = load_labelled()
    long_call = max((i for i in items if i.get("turns")), key=words)
    with Runtime.start(settings) as runtime:
        with unit_of_work(runtime.session_factory) as session:
            workspace = tenancy.ensure_workspace(session, "bench")
            catalogue_service.set_catalogue(session, workspace.id, load_catalogue())
        ingestor = runtime.ingestor

        def full(index: int) -> float:
            conversation = variant(long_call, index)
            started = time.perf_counter()
            ingestor.ingest(workspace.id, conversation)
            return time.perf_counter() - started

        def store_only(index: int) -> float:
            conversation = variant(long_call, index)
            started = time.perf_counter()
            with unit_of_work(runtime.session_factory) as session:
                conversations.store(session, workspace.id, conversation, ingestor.limits)
            return time.perf_counter() - started

        full(-1), store_only(-2)  # warm-up
        pairs = [(full(i), store_only(10_000 + i)) for i in range(args.rounds)]
        ratios = [a / b for a, b in pairs]
        print(
            f"long call: {words(long_call)} words, {len(long_call['turns'])} turns "
            f"({long_call['external_id']})"
        )
        print(f"  full pipeline : median {statistics.median(a for a, _ in pairs) * 1000:7.1f} ms")
        print(f"  store raw only: median {statistics.median(b for _, b in pairs) * 1000:7.1f} ms")
        print(
            f"  ratio full/store: median {statistics.median(ratios):.1f} "
            f"(min {min(ratios):.1f}, max {max(ratios):.1f})"
        )

        batch = [
            variant(items[i % len(items)], 20_000 + i, account_group=5) for i in range(args.batch)
        ]
        started = time.perf_counter()
        for conversation in batch:
            ingestor.ingest(workspace.id, conversation)
        elapsed = time.perf_counter() - started
        print(
            f"batch of {args.batch} varied conversations: {elapsed:.1f} s, "
            f"{args.batch / elapsed:.1f} conversations/s"
        )


if __name__ == "__main__":
    main()
