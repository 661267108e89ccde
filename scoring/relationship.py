"""Relationship strength, 0-10: how strong our relationship with this person is.

A weighted sum of three parts, each 0-1 (weights from settings, default 4 / 3 / 3):
- frequency: interactions, each worth exp(-age/half-life * ln 2), saturating as
  1 - exp(-sum/4) (four recent interactions give ~0.63);
- engagement depth: the mean of response rate (share of their conversations in which they
  spoke), attendance (calls and meetings they joined, 1 - exp(-n/3)) and time invested
  (words they said or wrote, 1 - exp(-words/2000));
- trust: vulnerability shared, referrals, internal information disclosed, saturating as
  1 - exp(-sum of confidences / 1.5).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from scoring.evidence import Interaction, TrustSignal
from scoring.models import Contribution, ContributionKind, Score, ScoreName, total


@dataclass(frozen=True)
class RelationshipWeights:
    frequency: float = 4.0
    engagement: float = 3.0
    trust: float = 3.0
    half_life_days: float = 60.0


def relationship_strength(
    interactions: list[Interaction],
    trust: list[TrustSignal],
    now: datetime,
    weights: RelationshipWeights,
) -> Score:
    parts: list[Contribution] = []
    decayed = sum(
        math.exp(
            -max(0.0, (now - i.occurred_at).total_seconds())
            / 86400
            / weights.half_life_days
            * math.log(2)
        )
        for i in interactions
        if i.participated
    )
    frequency = 1 - math.exp(-decayed / 4)
    if frequency:
        count = sum(1 for i in interactions if i.participated)
        parts.append(
            Contribution(
                ContributionKind.INTERACTIONS,
                f"{count} interaction(s), recency-weighted {decayed:.2f}",
                round(weights.frequency * frequency, 4),
            )
        )
    joined = [i for i in interactions if i.participated]
    if joined:
        response_rate = sum(1 for i in joined if i.spoke) / len(joined)
        attended = sum(1 for i in joined if i.channel in ("call", "meeting"))
        attendance = 1 - math.exp(-attended / 3)
        invested = 1 - math.exp(-sum(i.words for i in joined) / 2000)
        depth = (response_rate + attendance + invested) / 3
        parts.append(
            Contribution(
                ContributionKind.ENGAGEMENT,
                f"spoke in {response_rate:.0%} of their conversations, joined {attended} "
                f"call(s)/meeting(s), {sum(i.words for i in joined)} words",
                round(weights.engagement * depth, 4),
            )
        )
    if trust:
        strength = 1 - math.exp(-sum(t.confidence for t in trust) / 1.5)
        each = weights.trust * strength / len(trust)
        for signal in trust:
            parts.append(
                Contribution(
                    ContributionKind.TRUST,
                    signal.kind.replace("_", " "),
                    round(each, 4),
                    signal.quote,
                    signal.conversation_id,
                    signal.signal_id,
                )
            )
    return total(ScoreName.RELATIONSHIP_STRENGTH, parts)
