"""Long conversations: a two-hour call says more than one record of signals can hold, and
speech-to-text often runs on for pages without a full stop. Extraction still answers,
keeps what it is surest of, and quotes the conversation in pieces a reader can use."""

from __future__ import annotations

import re
from decimal import Decimal

from plans.catalogue.models import Catalogue
from plans.extraction.conversation import Participant
from plans.extraction.rules.extractor import RuleExtractor
from plans.extraction.signals import Side, Signals, validate_against
from tests.support.calls import helix_call

CUSTOMER = Participant(name="Ann Lee", title="VP Operations", side=Side.CUSTOMER)
REP = Participant(name="Sam Rep", side=Side.OURS)


def quotes_of(signals: Signals) -> list[str]:
    return [
        item.quote
        for name in Signals.model_fields
        if isinstance(items := getattr(signals, name), list)
        for item in items
    ]


def test_a_call_that_says_more_than_a_record_holds_keeps_the_surest() -> None:
    def budget(index: int) -> str:
        said = "is" if index % 12 == 0 else "is roughly"  # one firm figure in twelve
        return f"Our budget for the reporting work {said} ${100 + index}k this year."

    turns = [
        (
            "Ann Lee",
            f"{budget(index)} The pain is the month-end close, it takes us "
            f"{index % 9 + 3} days. Next step: I will send you the security questionnaire "
            "by Friday.",
        )
        for index in range(120)
    ]
    call = helix_call([CUSTOMER, REP], turns)
    signals = RuleExtractor().extract(call, Catalogue(product_lines=[])).signals
    assert 0 < len(signals.amounts) <= 50
    assert 0 < len(signals.next_steps) <= 100
    firm = {Decimal(f"{100 + index}000") for index in range(0, 120, 12)}
    assert firm <= {amount.value for amount in signals.amounts}
    validate_against(signals, call.text)


def test_a_transcript_without_full_stops_is_quoted_in_readable_pieces() -> None:
    ramble = " ".join(
        "so yeah the budget sits with me and I sign off on anything under two hundred "
        "and fifty thousand and honestly the reporting is a mess every month end we lose "
        "three days reconciling spreadsheets and Priya on my team reports to me and she "
        "would be the one using it day to day"
        for _ in range(40)
    )
    call = helix_call([CUSTOMER, REP], [("Ann Lee", ramble)])
    signals = RuleExtractor().extract(call, Catalogue(product_lines=[])).signals
    quotes = quotes_of(signals)
    assert quotes, "a rambling customer still says something worth keeping"
    assert max(len(quote) for quote in quotes) <= 400
    validate_against(signals, call.text)
    assert any(re.search(r"budget sits with me", quote) for quote in quotes)
