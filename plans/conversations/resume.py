"""Finishing conversations a failure left `stored`: the step after storing failed (the
extractor, the database) or the process died between the steps.

The `Resumer` is a background worker (`serve` and `worker` run it): each round it takes
the oldest conversations stored longer ago than any request still processing them could
take, and finishes each one no other process is finishing (a lock per conversation). A
conversation whose processing fails again waits longer before each new try (30 s
doubling to an hour), so one that cannot be processed costs a log line now and then,
not a round; it does not hold back the others.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from datetime import timedelta

from core.db import unit_of_work, utcnow
from core.errors import AppError, StoreUnavailable
from plans.conversations import repository
from plans.conversations.ingest import Ingestor

logger = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 30.0
MAX_RETRY_SECONDS = 3_600.0


class Resumer:
    def __init__(
        self,
        ingestor: Ingestor,
        older_than: timedelta,
        batch_size: int = 20,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ingestor = ingestor
        self.older_than = older_than
        self.batch_size = batch_size
        self.clock = clock
        self._failures: dict[uuid.UUID, int] = {}
        self._retry_at: dict[uuid.UUID, float] = {}

    def run_once(self) -> int:
        """Finish up to `batch_size` conversations left stored; return how many were
        finished here. A database outage ends the round (`StoreUnavailable`); any other
        failure is logged, and that conversation is tried again later."""
        now = self.clock()
        waiting = [key for key, retry_at in self._retry_at.items() if retry_at > now]
        with unit_of_work(self.ingestor.session_factory) as session:
            stale = repository.stale_stored(
                session, utcnow() - self.older_than, self.batch_size, skipping=waiting
            )
        finished = 0
        for workspace_id, conversation_id in stale:
            try:
                finished += self.ingestor.resume(workspace_id, conversation_id)
            except StoreUnavailable:
                raise
            except AppError as exc:
                self._failed(conversation_id, exc.message)
            except Exception as exc:
                logger.exception("finishing conversation %s failed", conversation_id)
                self._failed(conversation_id, f"{type(exc).__name__}: {exc}")
            else:
                self._failures.pop(conversation_id, None)
                self._retry_at.pop(conversation_id, None)
        return finished

    def _failed(self, conversation_id: uuid.UUID, reason: str) -> None:
        failures = self._failures.get(conversation_id, 0) + 1
        delay = min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2.0 ** (failures - 1))
        self._failures[conversation_id] = failures
        self._retry_at[conversation_id] = self.clock() + delay
        logger.warning(
            "conversation %s is still stored (failure %s: %s); next try in %.0fs",
            conversation_id,
            failures,
            reason,
            delay,
        )
