"""Scores and the evidence that adds up to them (plain data; no storage here)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from uuid import UUID

MAX_SCORE = 10.0


class ScoreName(StrEnum):
    DECISION_POWER = "decision_power"
    INFLUENCE = "influence"
    RELATIONSHIP_STRENGTH = "relationship_strength"


class ContributionKind(StrEnum):
    TITLE_RULE = "title_rule"
    SIGNAL = "signal"
    CENTRALITY = "centrality"
    INTERACTIONS = "interactions"
    ENGAGEMENT = "engagement"
    TRUST = "trust"
    OVERRIDE = "override"
    BOUND = "bound"  # brings a sum that left [0, 10] back inside


@dataclass(frozen=True)
class Contribution:
    """One term of a score: what it is, how many points, and where it came from."""

    kind: ContributionKind
    label: str
    points: float
    quote: str | None = None
    conversation_id: UUID | None = None
    signal_id: UUID | None = None


@dataclass(frozen=True)
class Score:
    """A 0-10 score whose contributions add up to `value` exactly."""

    name: ScoreName
    value: float
    contributions: tuple[Contribution, ...] = field(default_factory=tuple)
    overridden: bool = False


def total(name: ScoreName, contributions: list[Contribution]) -> Score:
    """Sum the contributions into a score in [0, 10]; if the sum leaves that range, a
    `bound` contribution says by how much, so the shown parts still add up."""
    parts = [replace(c, points=round(c.points, 2)) for c in contributions]
    raw = round(sum(c.points for c in parts), 2)
    value = min(MAX_SCORE, max(0.0, raw))
    if value != raw:
        bound = round(value - raw, 2)
        parts.append(Contribution(ContributionKind.BOUND, f"kept within 0-{MAX_SCORE:g}", bound))
    return Score(name, value, tuple(parts))


def overridden(name: ScoreName, computed: Score, value: float, reason: str, by: str) -> Score:
    """A rep's value: the computed parts stay visible, one override term makes up the rest."""
    delta = round(value - computed.value, 2)
    override = Contribution(ContributionKind.OVERRIDE, f"set to {value:g} by {by}: {reason}", delta)
    return Score(name, round(value, 2), (*computed.contributions, override), overridden=True)
