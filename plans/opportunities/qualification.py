"""MEDDPICC / BANT state of a deal: each element's status, from its evidence.

Evidence accumulates and is never overwritten: a later contradiction is kept beside what
it contradicts, and the element is marked contradicted so a rep sees both.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, Field

from plans.extraction.signals import BANT_ELEMENTS, MEDDIC_ELEMENTS, Element, Polarity

CONFIRMED_AT = 0.75  # supporting evidence this confident confirms an element


class ElementStatus(StrEnum):
    UNKNOWN = "unknown"
    PARTIAL = "partial"
    CONFIRMED = "confirmed"


STATUS_RANK = {ElementStatus.UNKNOWN: 0, ElementStatus.PARTIAL: 1, ElementStatus.CONFIRMED: 2}


class ElementEvidence(BaseModel):
    summary: str
    quote: str
    confidence: float
    polarity: Polarity = Polarity.SUPPORTS
    person: str | None = None
    observed_at: datetime
    conversation_id: UUID | None = None
    signal_id: UUID | None = None
    source: str = "extraction"  # extraction | agent | rep


class ElementState(BaseModel):
    element: Element
    status: ElementStatus = ElementStatus.UNKNOWN
    contradicted: bool = False
    summary: str | None = None
    person: str | None = None
    evidence: list[ElementEvidence] = Field(default_factory=list)

    def with_evidence(self, added: list[ElementEvidence]) -> ElementState:
        known = {(e.signal_id, e.quote) for e in self.evidence}
        evidence = self.evidence + [e for e in added if (e.signal_id, e.quote) not in known]
        return assess(self.element, evidence)


def assess(element: Element, evidence: list[ElementEvidence]) -> ElementState:
    """Status from evidence: confirmed by confident support, partial by any support; a
    contradiction newer than all support lowers confirmed to partial."""
    supports = [e for e in evidence if e.polarity is Polarity.SUPPORTS]
    contradicts = [e for e in evidence if e.polarity is Polarity.CONTRADICTS]
    if not supports:
        status = ElementStatus.UNKNOWN
    elif max(e.confidence for e in supports) >= CONFIRMED_AT:
        status = ElementStatus.CONFIRMED
    else:
        status = ElementStatus.PARTIAL
    latest_support = max(supports, key=lambda e: e.observed_at, default=None)
    latest_contradiction = max(contradicts, key=lambda e: e.observed_at, default=None)
    if (
        status is ElementStatus.CONFIRMED
        and latest_support is not None
        and latest_contradiction is not None
        and latest_contradiction.observed_at > latest_support.observed_at
    ):
        status = ElementStatus.PARTIAL
    best = max(supports, key=lambda e: (e.observed_at, e.confidence), default=None)
    return ElementState(
        element=element,
        status=status,
        contradicted=bool(supports) and bool(contradicts),
        summary=best.summary
        if best
        else (latest_contradiction.summary if latest_contradiction else None),
        person=_most_confident_person(supports),
        evidence=evidence,
    )


def _most_confident_person(supports: list[ElementEvidence]) -> str | None:
    """The person the strongest evidence names (the latest among equals): a stated
    sign-off outweighs a role read from behaviour."""
    named = [e for e in supports if e.person]
    best = max(named, key=lambda e: (e.confidence, e.observed_at), default=None)
    return best.person if best else None


def empty_qualification() -> dict[Element, ElementState]:
    return {
        element: ElementState(element=element) for element in (*MEDDIC_ELEMENTS, *BANT_ELEMENTS)
    }


def progress(states: dict[Element, ElementState], elements: tuple[Element, ...]) -> float:
    """Share of `elements` at least partially known (for "MEDDIC progress at a glance")."""
    known = sum(1 for e in elements if states[e].status is not ElementStatus.UNKNOWN)
    return round(known / len(elements), 2)
