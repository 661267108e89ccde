"""The scoring worker: applies outbox rows of the `scoring` consumer, recomputing each
touched account's scores once per batch (several conversations of one account cost one
recomputation)."""

from __future__ import annotations

import logging
import uuid

from sqlalchemy.orm import Session, sessionmaker

from core.db import unit_of_work
from core.outbox import repository as outbox
from core.outbox.models import EntityType
from plans.map.scores import recompute_account
from scoring.relationship import RelationshipWeights

logger = logging.getLogger(__name__)

SCORING_CONSUMER = "scoring"
# A score request names the account to recompute.
SCORED_ENTITIES = frozenset({EntityType.ACCOUNT_SCORES})


class ScoringWorker:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        weights: RelationshipWeights,
        batch_size: int = 200,
    ) -> None:
        self.session_factory = session_factory
        self.weights = weights
        self.batch_size = batch_size

    def run_once(self) -> int:
        with unit_of_work(self.session_factory) as session:
            pending = outbox.claim(session, SCORING_CONSUMER, self.batch_size)
            accounts: dict[tuple[uuid.UUID, uuid.UUID], list[int]] = {}
            for change in pending:
                accounts.setdefault((change.workspace_id, change.entity_id), []).append(change.id)
            for (workspace_id, account_id), ids in accounts.items():
                try:
                    with session.begin_nested():
                        recompute_account(session, workspace_id, account_id, self.weights)
                except Exception as exc:  # keep the other accounts going; retry this one later
                    logger.exception("scoring account %s failed", account_id)
                    attempts = max(c.attempts for c in pending if c.id in ids)
                    outbox.mark_failed(session, ids, f"scoring failed: {exc}", attempts)
                    continue
                outbox.mark_done(session, ids)
            return len(pending)
