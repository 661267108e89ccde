"""What conversations said about one person, as plain data the score functions read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID


class Said(StrEnum):
    SIGNS_OFF = "signs_off"  # approves spending / signs contracts
    ECONOMIC_BUYER = "economic_buyer"
    AUTHORITY = "authority"  # "it's my call"
    DEFERRED_TO = "deferred_to"  # someone runs things by them
    INFLUENTIAL = "influential"  # "has a lot of sway", others listen to them
    ON_COMMITTEE = "on_committee"
    CAN_BLOCK = "can_block"
    CHAMPION = "champion"
    BLOCKER = "blocker"
    NOT_BUDGET_HOLDER = "not_budget_holder"  # "the budget isn't mine"
    NOT_DECIDER = "not_decider"  # "it's not my call"
    DAY_TO_DAY_USER = "day_to_day_user"  # uses it day to day (and nothing says more)
    EVALUATOR = "evaluator"  # tests or scores it


@dataclass(frozen=True)
class Mention:
    said: Said
    quote: str | None
    confidence: float
    conversation_id: UUID | None = None
    signal_id: UUID | None = None


@dataclass(frozen=True)
class Interaction:
    """One conversation this person took part in (or was only mentioned in)."""

    occurred_at: datetime
    channel: str
    participated: bool
    spoke: bool
    words: int
    conversation_id: UUID | None = None


@dataclass(frozen=True)
class TrustSignal:
    kind: str  # shared_vulnerability | referral | internal_information
    quote: str
    confidence: float
    conversation_id: UUID | None = None
    signal_id: UUID | None = None


def once_per_sentence(mentions: list[Mention], rank: dict[Said, int]) -> list[Mention]:
    """The mentions of the kinds in `rank`, one per sentence: a sentence read as several
    things ("Whether we spend the money is Priya's call" is a sign-off and a claim of
    authority) counts once, as its best-ranked reading (lowest rank, then the most
    confident)."""
    best: dict[tuple[UUID | None, str], Mention] = {}
    unquoted: list[Mention] = []
    for mention in mentions:
        if mention.said not in rank:
            continue
        if not mention.quote:
            unquoted.append(mention)
            continue
        key = (mention.conversation_id, " ".join(mention.quote.casefold().split()))
        held = best.get(key)
        if held is None or (rank[mention.said], -mention.confidence) < (
            rank[held.said],
            -held.confidence,
        ):
            best[key] = mention
    return list(best.values()) + unquoted
