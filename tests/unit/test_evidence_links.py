"""The link from a plan's number to the quote it came from: stored signals are keyed by
each item's own id, so it survives copies of the signals."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from plans.catalogue.models import Catalogue
from plans.evidence import ConversationFacts
from plans.extraction.signals import Amount, CloseDate, Signals

SIGNALS = Signals(
    amounts=[Amount(value=Decimal("150000"), quote="Budget is $150k.", confidence=0.8)],
    close_dates=[
        CloseDate(
            date=date(2026, 3, 31),
            text="end of March",
            quote="We need it live by end of March.",
            confidence=0.7,
        )
    ],
)


def facts_of(signals: Signals) -> tuple[ConversationFacts, dict[uuid.UUID, str]]:
    """Facts whose signals were stored as processing stores them (a signal id per item),
    and the quote stored with every signal id."""
    stored = {item.id: uuid.uuid4() for item in signals.items()}
    quotes = {stored[item.id]: item.quote for item in signals.items()}
    facts = ConversationFacts(
        workspace_id=uuid.uuid4(),
        conversation_id=uuid.uuid4(),
        account_id=uuid.uuid4(),
        account_name="Helix Health",
        occurred_at=datetime(2026, 1, 12, tzinfo=UTC),
        signals=signals,
        signal_ids=stored,
        source="rules",
        catalogue=Catalogue(),
    )
    return facts, quotes


def test_a_deep_copy_of_the_signals_keeps_the_link_from_an_item_to_its_quote() -> None:
    facts, quotes = facts_of(SIGNALS)
    copied = SIGNALS.model_copy(deep=True)

    for item, original in zip(copied.items(), SIGNALS.items(), strict=True):
        assert item is not original
        signal_id = facts.signal_id(item)
        assert signal_id is not None and quotes[signal_id] == item.quote
    assert facts.ids(*copied.amounts) == facts.ids(*SIGNALS.amounts)


def test_the_item_id_is_nothing_an_extractor_sends_or_a_dump_shows() -> None:
    (amount,) = SIGNALS.amounts
    assert "id" not in amount.model_dump() and "_id" not in amount.model_dump()
    assert not {"id", "_id"} & set(Amount.model_json_schema()["properties"])
    assert Amount.model_validate(amount.model_dump()).id != amount.id
