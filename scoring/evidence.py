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
