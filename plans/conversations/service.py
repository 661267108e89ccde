"""The two transactional steps of a conversation's life.

1. `store`: the raw conversation is written first (with its account found or created),
   idempotent on the caller's external id. From then on nothing about it can be lost.
2. `process`: in one transaction, its signals are stored, people matched to
   stakeholders, opportunities created or updated by the product rules, plans updated
   with revisions, and outbox rows written for the graph and CRM connectors.

Extraction runs between the two, outside any transaction (it may call an LLM).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from core.db import utcnow
from core.errors import Conflict, InvalidInput, PayloadTooLarge
from plans import account_plan
from plans import repository as accounts_repository
from plans import service as accounts
from plans.catalogue.models import Catalogue
from plans.conversations import repository
from plans.conversations.models import (
    AccountRef,
    ConversationIn,
    IngestResult,
    OpportunityTouched,
    StageChangeOut,
    StakeholderTouched,
)
from plans.conversations.tables import ConversationRow, SignalRow
from plans.errors import AccountNotFound
from plans.evidence import ConversationFacts
from plans.extraction.conversation import ConversationDocument, Participant
from plans.extraction.port import ExtractionRun
from plans.extraction.signals import Item, Side, Signals
from plans.map import repository as map_repository
from plans.map.recording import record_conversation
from plans.models import Account
from plans.names import names_match
from plans.opportunities import detection
from plans.opportunities import service as opportunities
from plans.opportunities.pipeline import PipelineConfig
from plans.opportunities.repository import open_for_account
from plans.stakeholders import PersonRef, Resolution, resolve_people

NO_CATALOGUE = (
    "no product catalogue is configured for this workspace, so no opportunity can be "
    "created; set one with PUT /config/catalogue (the products named are in "
    "unmatched_products)"
)


@dataclass(frozen=True)
class Limits:
    max_chars: int
    max_turns: int
    max_participants: int


@dataclass(frozen=True)
class Stored:
    row: ConversationRow
    account: Account
    account_created: bool
    new: bool


def check_limits(payload: ConversationIn, limits: Limits) -> None:
    """422 for too many turns or participants, 413 for content over the size limit. The
    counts come first: ten thousand turns are over the size limit too, but the turn
    limit is what the caller has to change."""
    if payload.turns is not None and len(payload.turns) > limits.max_turns:
        raise InvalidInput(
            f"{len(payload.turns)} turns; the limit is {limits.max_turns} (MAX_CONVERSATION_TURNS)",
            field="body.turns",
        )
    if len(payload.participants) > limits.max_participants:
        raise InvalidInput(
            f"{len(payload.participants)} participants; the limit is {limits.max_participants}",
            field="body.participants",
        )
    size = payload.content_length()
    if size > limits.max_chars:
        raise PayloadTooLarge(
            f"conversation content is {size} characters; the limit is {limits.max_chars} "
            "(MAX_CONVERSATION_CHARS)",
            details={"limit": "MAX_CONVERSATION_CHARS", "value": size},
        )


def content_hash(payload: ConversationIn) -> str:
    canonical = json.dumps(payload.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def store(
    session: Session, workspace_id: uuid.UUID, payload: ConversationIn, limits: Limits
) -> Stored:
    check_limits(payload, limits)
    digest = content_hash(payload)
    existing = repository.by_external_id(session, workspace_id, payload.external_id)
    if existing is not None:
        if existing.content_hash != digest:
            raise Conflict(
                f"conversation {payload.external_id!r} was already posted with different content",
                details={"external_id": payload.external_id, "conversation_id": str(existing.id)},
            )
        account = accounts.get_account(session, workspace_id, existing.account_id)
        return Stored(existing, account, account_created=False, new=False)
    account, created = resolve_account(session, workspace_id, payload.account)
    row = repository.insert_if_new(
        session,
        {
            "workspace_id": workspace_id,
            "external_id": payload.external_id,
            "account_id": account.id,
            "occurred_at": payload.occurred_at,
            "channel": str(payload.channel),
            "title": payload.title,
            "participants": [p.model_dump(mode="json") for p in payload.participants],
            "turns": [t.model_dump() for t in payload.turns] if payload.turns is not None else None,
            "text": payload.text,
            "agent_signals": payload.signals.model_dump(mode="json") if payload.signals else None,
            "content_hash": digest,
        },
    )
    return Stored(row, account, account_created=created, new=True)


def resolve_account(
    session: Session, workspace_id: uuid.UUID, ref: AccountRef
) -> tuple[Account, bool]:
    if ref.id is not None:
        try:
            return accounts.get_account(session, workspace_id, ref.id), False
        except AccountNotFound:
            raise InvalidInput(
                f"no account {ref.id} in this workspace", field="body.account.id"
            ) from None
    assert ref.name is not None
    found = accounts_repository.find_account(
        session, workspace_id, name=ref.name, domain=ref.domain
    )
    if found is not None:
        return found, False
    created = accounts.create_account(
        session,
        workspace_id,
        accounts.AccountCreate(name=ref.name, domain=ref.domain),
        origin="conversation",
    )
    return created, True


def document(row: ConversationRow, account: Account) -> ConversationDocument:
    turns: list[tuple[str | None, str]] = (
        [(t["speaker"], t["text"]) for t in row.turns]
        if row.turns is not None
        else [(None, row.text or "")]
    )
    return ConversationDocument(
        occurred_at=row.occurred_at,
        channel=row.channel,
        title=row.title,
        account_name=account.name,
        account_domain=account.domain,
        participants=[Participant.model_validate(p) for p in row.participants],
        turns=turns,
    )


def past_conversations(
    session: Session, workspace_id: uuid.UUID, account_id: uuid.UUID
) -> list[account_plan.PastConversation]:
    """The account's processed conversations, oldest first."""
    history = []
    for row in repository.account_conversations(session, workspace_id, account_id):
        sentiment = (row.result or {}).get("sentiment") or {}
        history.append(
            account_plan.PastConversation(
                id=row.id,
                occurred_at=row.occurred_at,
                channel=row.channel,
                title=row.title,
                participants=[Participant.model_validate(p) for p in row.participants],
                sentiment_score=sentiment.get("score"),
                sentiment_label=sentiment.get("label"),
            )
        )
    return history


def process(
    session: Session,
    workspace_id: uuid.UUID,
    conversation_id: uuid.UUID,
    run: ExtractionRun,
    catalogue: Catalogue,
    config: PipelineConfig,
) -> IngestResult:
    """Apply one extraction run to a stored conversation, in the caller's transaction;
    a conversation already processed answers its first result again."""
    row = repository.get(session, workspace_id, conversation_id, lock=True)
    assert row is not None
    if row.status == "processed" and row.result is not None:
        return IngestResult.model_validate({**row.result, "replayed": True})
    account = accounts.get_account(session, workspace_id, row.account_id)
    facts = _facts(session, row, account, run, catalogue)
    people = _resolve_people(session, row, account, run)
    touched = _apply_to_opportunities(session, facts, people, config)
    record_conversation(
        session, facts, document(row, account), people, [t.opportunity.id for t in touched]
    )
    result = _result(row, account, run, facts, people, touched)
    _mark_processed(row, run, result)
    session.flush()
    account_plan.refresh_after_conversation(
        session, facts, past_conversations(session, workspace_id, account.id)
    )
    return result


def _facts(
    session: Session,
    row: ConversationRow,
    account: Account,
    run: ExtractionRun,
    catalogue: Catalogue,
) -> ConversationFacts:
    """Store the run's signals and gather what every plan updater needs to know."""
    signal_ids = _store_signals(session, row, run)
    return ConversationFacts(
        workspace_id=row.workspace_id,
        conversation_id=row.id,
        account_id=account.id,
        account_name=account.name,
        occurred_at=row.occurred_at,
        signals=run.signals,
        signal_ids=signal_ids,
        source=run.extractor,
        catalogue=catalogue,
    )


def _resolve_people(
    session: Session, row: ConversationRow, account: Account, run: ExtractionRun
) -> Resolution:
    """Match the customer's people in the conversation to stakeholders (new ones made)."""
    ours = map_repository.our_people_names(session, row.workspace_id)
    return resolve_people(
        session,
        row.workspace_id,
        account.id,
        _customer_people(row, run.signals, ours),
        origin=run.extractor,
    )


def _apply_to_opportunities(
    session: Session, facts: ConversationFacts, people: Resolution, config: PipelineConfig
) -> list[opportunities.OpportunityOutcome]:
    """Decide by the product rules which open opportunities the signals update and which
    new ones they create, and apply that."""
    open_opportunities = [
        detection.OpenOpportunity(o.id, o.product_line, o.close_date)
        for o in open_for_account(session, facts.workspace_id, facts.account_id, lock=True)
    ]
    decisions = detection.decide(
        facts.signals, open_opportunities, facts.catalogue, config.creation_threshold
    )
    return opportunities.apply_conversation(session, facts, decisions, config, people)


def _result(
    row: ConversationRow,
    account: Account,
    run: ExtractionRun,
    facts: ConversationFacts,
    people: Resolution,
    touched: list[opportunities.OpportunityOutcome],
) -> IngestResult:
    """What the conversation changed, with links to everything it touched."""
    sentiment = run.signals.sentiment
    return IngestResult(
        conversation_id=row.id,
        external_id=row.external_id,
        account_id=account.id,
        status="processed",
        extractor=run.extractor,
        extraction_note=run.note,
        signals=len(facts.signal_ids),
        sentiment={"score": sentiment.score, "label": sentiment.label} if sentiment else None,
        opportunities=[_opportunity_touched(t) for t in touched],
        stakeholders=[
            StakeholderTouched(
                id=s.id,
                name=s.full_name,
                created=s.id in people.created,
                link=f"/stakeholders/{s.id}",
            )
            for s in {s.id: s for s in people.by_name.values()}.values()
        ],
        unmatched_products=sorted({p.text for p in run.signals.products if p.product_line is None}),
        catalogue_configured=bool(facts.catalogue.product_lines),
        notes=[] if facts.catalogue.product_lines else [NO_CATALOGUE],
        links={
            "conversation": f"/conversations/{row.id}",
            "account": f"/accounts/{account.id}",
            "account_plan": f"/accounts/{account.id}/plan",
        },
    )


def _opportunity_touched(touched: opportunities.OpportunityOutcome) -> OpportunityTouched:
    deal = touched.opportunity
    return OpportunityTouched(
        id=deal.id,
        name=deal.name,
        product_line=deal.product_line,
        action="created" if touched.action is detection.Action.CREATE else "updated",
        stage=deal.stage,
        status=deal.status,
        reason=touched.reason,
        changed_fields=touched.changed_fields,
        stage_changes=[
            StageChangeOut(from_stage=s.from_stage, to_stage=s.to_stage, reason=s.reason)
            for s in touched.stage_steps
        ],
        link=f"/opportunities/{deal.id}",
    )


def _mark_processed(row: ConversationRow, run: ExtractionRun, result: IngestResult) -> None:
    row.status = "processed"
    row.processed_at = utcnow()
    row.extractor = run.extractor
    row.extraction_note = run.note
    row.input_tokens = run.usage.input_tokens
    row.output_tokens = run.usage.output_tokens
    row.cache_read_tokens = run.usage.cache_read_tokens
    row.cache_write_tokens = run.usage.cache_write_tokens
    row.cost_usd = run.usage.cost_usd
    row.result = result.model_dump(mode="json")


def _customer_people(
    row: ConversationRow, signals: Signals, our_people: list[str]
) -> list[PersonRef]:
    """Customer-side people: participants on the customer side, and people mentioned who
    are neither our participants nor anyone we know to be ours."""
    ours = {p["name"].casefold() for p in row.participants if p.get("side") == Side.OURS}
    people: dict[str, PersonRef] = {}
    for participant in row.participants:
        if participant.get("side") == Side.CUSTOMER:
            people[participant["name"].casefold()] = PersonRef(
                participant["name"], participant.get("email"), participant.get("title")
            )
    for mention in signals.people:
        key = mention.name.casefold()
        if mention.side is not Side.CUSTOMER or key in ours:
            continue
        if any(names_match(mention.name, name) for name in our_people):
            continue
        known = people.get(key)
        people[key] = PersonRef(
            mention.name,
            (known.email if known else None) or mention.email,
            (known.title if known else None) or mention.title,
            mention.department,
        )
    return list(people.values())


def _store_signals(
    session: Session, row: ConversationRow, run: ExtractionRun
) -> dict[uuid.UUID, uuid.UUID]:
    ids: dict[uuid.UUID, uuid.UUID] = {}
    rows = []
    for field_name in Signals.model_fields:
        value = getattr(run.signals, field_name)
        items: list[Any] = (
            value if isinstance(value, list) else [value] if value is not None else []
        )
        for item in items:
            if not isinstance(item, Item):
                continue
            signal_id = uuid.uuid4()
            ids[item.id] = signal_id
            rows.append(
                SignalRow(
                    id=signal_id,
                    workspace_id=row.workspace_id,
                    conversation_id=row.id,
                    kind=field_name,
                    payload=item.model_dump(mode="json"),
                    quote=item.quote,
                    confidence=item.confidence,
                    source=run.extractor,
                )
            )
    repository.add_signals(session, rows)
    return ids
