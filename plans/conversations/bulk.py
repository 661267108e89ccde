"""Loading many conversations from a JSON Lines file, streaming.

One line is one conversation (the body of POST /conversations). Lines are read lazily,
so memory stays flat however large the file; ids already ingested are skipped, so a run
interrupted half way resumes where it stopped; a bad line is reported with its number and
does not stop the run.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from core.db import unit_of_work
from core.errors import AppError, describe_validation_error
from plans.conversations import repository
from plans.conversations.ingest import Ingestor
from plans.conversations.models import ConversationIn

CHUNK = 200
MAX_ERRORS_KEPT = 50


@dataclass
class BulkReport:
    ingested: int = 0
    skipped: int = 0
    failed: int = 0
    opportunities_created: int = 0
    opportunities_updated: int = 0
    errors: list[str] = field(default_factory=list)

    def fail(self, line: int, reason: str) -> None:
        self.failed += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(f"line {line}: {reason}")


def _lines(handle: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    for number, raw in enumerate(handle, start=1):
        if raw.strip():
            yield number, raw


def count_conversations(path: Path) -> int:
    """How many conversations `path` holds (its non-blank lines), read streaming: the
    total a progress bar counts towards."""
    with path.open("rb") as handle:
        return sum(1 for _ in _lines(handle))


def ingest_file(
    path: Path,
    workspace_id: uuid.UUID,
    ingestor: Ingestor,
    progress: Callable[[int], None] = lambda _: None,
) -> BulkReport:
    """Ingest every conversation in `path`; after each one (ingested, skipped or failed)
    `progress` gets how many conversations are done."""
    report = BulkReport()
    done = 0

    def one_done() -> None:
        nonlocal done
        done += 1
        progress(done)

    with path.open("rb") as handle:
        lines = _lines(handle)
        while chunk := list(islice(lines, CHUNK)):
            parsed: list[tuple[int, ConversationIn]] = []
            for number, raw in chunk:
                try:
                    parsed.append((number, ConversationIn.model_validate(json.loads(raw))))
                except json.JSONDecodeError as exc:
                    report.fail(number, f"not JSON: {exc.msg} at column {exc.colno}")
                    one_done()
                except ValidationError as exc:
                    report.fail(number, describe_validation_error(exc))
                    one_done()
            with unit_of_work(ingestor.session_factory) as session:
                already_in = repository.existing_external_ids(
                    session, workspace_id, [c.external_id for _, c in parsed]
                )
            for number, conversation in parsed:
                if conversation.external_id in already_in:
                    report.skipped += 1
                else:
                    _ingest_one(ingestor, workspace_id, number, conversation, report)
                one_done()
    return report


def _ingest_one(
    ingestor: Ingestor,
    workspace_id: uuid.UUID,
    number: int,
    conversation: ConversationIn,
    report: BulkReport,
) -> None:
    try:
        outcome = ingestor.ingest(workspace_id, conversation)
    except AppError as exc:
        report.fail(number, f"{conversation.external_id}: {exc.message}")
        return
    if not outcome.created:
        report.skipped += 1
        return
    report.ingested += 1
    for touched in outcome.result.opportunities:
        if touched.action == "created":
            report.opportunities_created += 1
        else:
            report.opportunities_updated += 1
