"""The scoring worker: applies outbox rows of the `scoring` consumer by recomputing each
requested account's scores once for all the requests waiting for it (several
conversations of one account cost one recomputation).

Each account is a job of its own, in its own transaction, under the account's advisory
lock: however many worker processes run, an account is recomputed by one of them at a
time, and that one takes every request of the account that is due. A request that
arrives while the account is being recomputed waits for the next round, as the running
recomputation may have read the account before that request's change.
"""

from __future__ import annotations

import logging
import uuid

from sqlalchemy.orm import Session, sessionmaker

from core.db import unit_of_work
from core.locks import try_transaction_lock
from core.outbox import repository as outbox
from core.outbox.models import EntityType
from plans.map.scores import recompute_account
from scoring.relationship import RelationshipWeights

logger = logging.getLogger(__name__)

SCORING_CONSUMER = "scoring"
# A score request names the account to recompute.
SCORED_ENTITIES = frozenset({EntityType.ACCOUNT_SCORES})
# Requests of one account taken at once (a backfill can leave thousands waiting).
MAX_REQUESTS_AN_ACCOUNT = 10_000


class ScoringWorker:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        weights: RelationshipWeights,
        batch_size: int = 200,
    ) -> None:
        self.session_factory = session_factory
        self.weights = weights
        self.batch_size = batch_size  # accounts a round

    def run_once(self) -> int:
        """Recompute up to `batch_size` accounts with due requests, those waiting longest
        first; return how many requests were handled (done or failed) here."""
        with unit_of_work(self.session_factory) as session:
            accounts = outbox.due_records(session, SCORING_CONSUMER, self.batch_size)
        return sum(self.score(workspace_id, account_id) for workspace_id, account_id in accounts)

    def score(self, workspace_id: uuid.UUID, account_id: uuid.UUID) -> int:
        """Recompute one account for every due request of it, unless another worker is
        recomputing it now; return how many requests were handled."""
        with unit_of_work(self.session_factory) as session:
            if not try_transaction_lock(session, SCORING_CONSUMER, account_id):
                return 0
            pending = outbox.claim(
                session,
                SCORING_CONSUMER,
                MAX_REQUESTS_AN_ACCOUNT,
                workspace_id=workspace_id,
                entity_id=account_id,
            )
            ids = [change.id for change in pending]
            if not ids:  # another worker finished it since the round began
                return 0
            try:
                with session.begin_nested():
                    recompute_account(session, workspace_id, account_id, self.weights)
            except Exception as exc:  # retry this account later; the requests keep waiting
                logger.exception("scoring account %s failed", account_id)
                attempts = max(change.attempts for change in pending)
                outbox.mark_failed(session, ids, f"scoring failed: {exc}", attempts)
                return len(ids)
            outbox.mark_done(session, ids)
            return len(ids)
