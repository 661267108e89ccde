"""The product rules that turn a conversation's signals into opportunity decisions.

- Create only when deal potential is at or above the creation threshold (precision over
  recall), for a product line in the catalogue.
- A different product line, or an expected close date more than 3 months from the
  existing open opportunity's, makes a new opportunity; otherwise the existing one is
  updated. A conversation that names no new date leaves the date unchanged.
- A product the catalogue does not know is recorded as a signal and creates nothing.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar
from uuid import UUID

from plans.catalogue.models import Catalogue
from plans.extraction.learned.line_similarity import MODEL_ID as BY_MEANING
from plans.extraction.signals import (
    LINE_INTEREST,
    Amount,
    AmountKind,
    CloseDate,
    Element,
    Outcome,
    Polarity,
    Signals,
)

TIMELINE_WINDOW_MONTHS = 3


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"


@dataclass(frozen=True)
class OpenOpportunity:
    id: UUID
    product_line: str
    close_date: date | None


@dataclass(frozen=True)
class Decision:
    action: Action
    product_line: str
    reason: str
    opportunity_id: UUID | None = None
    close_date: CloseDate | None = None
    amount: Amount | None = None
    outcome: Outcome | None = None


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_apart(first: date, second: date) -> bool:
    """True when the dates are more than TIMELINE_WINDOW_MONTHS apart."""
    early, late = sorted((first, second))
    return late > add_months(early, TIMELINE_WINDOW_MONTHS)


def lines_discussed(signals: Signals, catalogue: Catalogue) -> list[str]:
    """Catalogue lines with real interest, strongest first."""
    scores: dict[str, float] = {}
    for mention in signals.products:
        if mention.product_line and catalogue.line(mention.product_line):
            if mention.interest >= LINE_INTEREST:
                score = mention.interest * mention.confidence
                scores[mention.product_line] = max(scores.get(mention.product_line, 0.0), score)
    return sorted(scores, key=lambda key: -scores[key])


Evidenced = TypeVar("Evidenced", CloseDate, Amount)


def _best(items: list[Evidenced]) -> Evidenced | None:
    return max(items, key=lambda item: item.confidence, default=None)


def decide(
    signals: Signals,
    open_opportunities: list[OpenOpportunity],
    catalogue: Catalogue,
    threshold: float,
) -> list[Decision]:
    potential = signals.deal.potential if signals.deal else 0.0
    close_date = _best(signals.close_dates)
    priced = [a for a in signals.amounts if a.kind in (AmountKind.DEAL_SIZE, AmountKind.PRICE)]
    amount = _best(priced) or _best([a for a in signals.amounts if a.kind is AmountKind.BUDGET])
    outcome = max(signals.outcomes, key=lambda o: o.confidence, default=None)
    lines = lines_discussed(signals, catalogue)
    moves_deal = _moves_the_deal(signals)
    if open_opportunities and _only_by_similarity(signals, lines):
        # A line read from the talk's meaning alone never opens a second deal beside an
        # open one: it only points at which open deal the talk continues.
        lines = []
    if not lines and moves_deal:
        lines = _open_line_hinted(signals, open_opportunities)

    decisions: list[Decision] = []
    for index, line in enumerate(lines):
        primary = index == 0  # amounts, dates and outcomes are attributed to the main line
        line_close = close_date if primary else None
        existing = [o for o in open_opportunities if o.product_line == line]
        target = _closest(existing, line_close.date if line_close else None)
        product = catalogue.line(line)
        name = product.name if product else line
        if target is not None and not (
            line_close and target.close_date and months_apart(line_close.date, target.close_date)
        ):
            if not moves_deal:
                continue  # the line came up, but nothing about the deal did
            decisions.append(
                Decision(
                    Action.UPDATE,
                    line,
                    f"{name} is discussed and has an open opportunity",
                    opportunity_id=target.id,
                    close_date=line_close,
                    amount=amount if primary else None,
                    outcome=outcome if primary else None,
                )
            )
            continue
        if potential < threshold or not primary:
            # The conversation's deal evidence is attributed to its main line; another
            # line it touches can update its own opportunity but never creates one.
            continue
        if target is None:
            why = f"no open opportunity for {name}"
        else:
            why = (
                f"expected close {line_close.date if line_close else '?'} is more than "
                f"{TIMELINE_WINDOW_MONTHS} months from the open opportunity's {target.close_date}"
            )
        decisions.append(
            Decision(
                Action.CREATE,
                line,
                f"deal potential {potential:.2f} >= threshold {threshold:.2f}; {why}",
                close_date=line_close,
                amount=amount if primary else None,
                outcome=outcome if primary else None,
            )
        )
    return decisions


def _only_by_similarity(signals: Signals, lines: list[str]) -> bool:
    named = {p.product_line for p in signals.products if p.pattern != BY_MEANING}
    return bool(lines) and not (set(lines) & named)


def _open_line_hinted(signals: Signals, open_opportunities: list[OpenOpportunity]) -> list[str]:
    """A follow-up that moves a deal but names no line strongly enough: the account's only
    open line, or the open line that the talk touches (a keyword in passing), strongest
    first. Never a line without an open opportunity: this only updates."""
    open_lines = {o.product_line for o in open_opportunities}
    if len(open_lines) == 1:
        return list(open_lines)
    hinted: dict[str, float] = {}
    for mention in signals.products:
        if mention.product_line in open_lines:
            hinted[mention.product_line] = max(
                hinted.get(mention.product_line, 0.0), mention.interest * mention.confidence
            )
    return sorted(hinted, key=lambda key: -hinted[key])[:1]


def _closest(candidates: list[OpenOpportunity], when: date | None) -> OpenOpportunity | None:
    if not candidates:
        return None
    if when is None:
        return candidates[0]
    return min(
        candidates,
        key=lambda o: abs((o.close_date - when).days) if o.close_date else 10**6,
    )


DEAL_ELEMENTS = {
    Element.BUDGET,
    Element.TIMELINE,
    Element.DECISION_PROCESS,
    Element.PAPER_PROCESS,
    Element.ECONOMIC_BUYER,
    Element.DECISION_CRITERIA,
    Element.METRICS,
    Element.CHAMPION,
    Element.AUTHORITY,
    Element.COMPETITION,
}
MOVE_CONFIDENCE = 0.6


MOVE_POTENTIAL = 0.3
PROCESS_ELEMENTS = {
    Element.PAPER_PROCESS,
    Element.DECISION_PROCESS,
    Element.BUDGET,
    Element.TIMELINE,
}
PROCESS_CONFIDENCE = 0.7
NAMED_LINE = 0.85  # a line said by its name or an alias, not a keyword


def _moves_the_deal(signals: Signals) -> bool:
    """Did the conversation say something about a deal (not just mention a product)?
    Hard facts (a close date, a deal amount, an outcome; a confident step of the buying
    process, paper, approvals, budget or timeline, in a talk that names a line) always
    count; softer evidence (criteria, champion...) counts when the talk shows some
    intent."""
    if signals.outcomes or signals.close_dates:
        return True
    if any(
        a.kind in (AmountKind.DEAL_SIZE, AmountKind.BUDGET, AmountKind.PRICE)
        for a in signals.amounts
    ):
        return True
    names_a_line = any(p.product_line and p.confidence >= NAMED_LINE for p in signals.products)
    if names_a_line and any(
        q.element in PROCESS_ELEMENTS
        and q.polarity is Polarity.SUPPORTS
        and q.confidence >= PROCESS_CONFIDENCE
        for q in signals.qualification
    ):
        return True  # "the security questionnaire for Lumen Pipelines is done"
    potential = signals.deal.potential if signals.deal else 0.0
    if potential >= 0.5:
        return True
    return potential >= MOVE_POTENTIAL and any(
        q.element in DEAL_ELEMENTS and q.confidence >= MOVE_CONFIDENCE
        for q in signals.qualification
    )
