"""Ingesting one conversation end to end: store it first, extract outside any
transaction, then process it. Each step is its own unit of work, so a crash after the
first leaves a stored conversation that the background `Resumer` (or the next POST of the
same id) finishes; nothing is lost and nothing is half-written."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from core.db import unit_of_work
from core.errors import InvalidInput
from core.locks import held_lock
from plans.catalogue import service as catalogue_service
from plans.conversations import repository, service
from plans.conversations.models import ConversationIn, IngestResult, document_of
from plans.conversations.service import Limits
from plans.extraction.port import ExtractionRun, Extractor
from plans.extraction.signals import QuoteNotFound, Signals, validate_against
from plans.opportunities import pipeline
from plans.service import get_account

RESUME_LOCK = "conversation-resume"  # the advisory lock of finishing one conversation


@dataclass(frozen=True)
class IngestOutcome:
    result: IngestResult
    created: bool  # false when the conversation had been posted before


class Ingestor:
    def __init__(
        self, session_factory: sessionmaker[Session], extractor: Extractor, limits: Limits
    ) -> None:
        self.session_factory = session_factory
        self.extractor = extractor
        self.limits = limits

    def ingest(self, workspace_id: uuid.UUID, payload: ConversationIn) -> IngestOutcome:
        if payload.signals is not None:
            _check_agent_signals(payload)
        with unit_of_work(self.session_factory) as session:
            stored = service.store(session, workspace_id, payload, self.limits)
            if stored.row.status == "processed" and stored.row.result is not None:
                replay = IngestResult.model_validate({**stored.row.result, "replayed": True})
                return IngestOutcome(replay, created=False)
            conversation_id = stored.row.id
            account_created = stored.account_created
        result = self.process(workspace_id, conversation_id)
        if account_created:
            result = result.model_copy(update={"account_created": True})
        return IngestOutcome(result, created=True)

    def process(self, workspace_id: uuid.UUID, conversation_id: uuid.UUID) -> IngestResult:
        with unit_of_work(self.session_factory) as session:
            row = repository.get(session, workspace_id, conversation_id)
            assert row is not None
            if row.status == "processed" and row.result is not None:  # not extracted again
                return IngestResult.model_validate({**row.result, "replayed": True})
            account = get_account(session, workspace_id, row.account_id)
            document = service.document(row, account)
            catalogue = catalogue_service.catalogue(session, workspace_id)
            config = pipeline.pipeline_config(session, workspace_id)
            agent_signals = row.agent_signals
        if agent_signals is not None:
            run = ExtractionRun(signals=Signals.model_validate(agent_signals), extractor="agent")
        else:
            run = self.extractor.extract(document, catalogue)
        with unit_of_work(self.session_factory) as session:
            return service.process(session, workspace_id, conversation_id, run, catalogue, config)

    def resume(self, workspace_id: uuid.UUID, conversation_id: uuid.UUID) -> bool:
        """Finish a conversation left stored, unless another process is finishing it now
        (a lock per conversation); True if this call processed it."""
        with held_lock(self.session_factory, RESUME_LOCK, conversation_id) as mine:
            return mine and not self.process(workspace_id, conversation_id).replayed


def _check_agent_signals(payload: ConversationIn) -> None:
    assert payload.signals is not None
    document = document_of(payload, payload.account.name or "")
    try:
        validate_against(payload.signals, document.text)
    except QuoteNotFound as exc:
        raise InvalidInput(str(exc), field="body.signals") from None
