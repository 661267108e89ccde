"""Influence level, 0-10: how much this person's view moves others.

Three parts: the title (55% of the title rule's influence, so title alone reaches at most
~4), the account's influence graph (up to 3.0 for weighted PageRank, up to 1.5 for
betweenness, both scaled to the account's top person), and what conversations said (has
sway +1.0, sits on the deciding committee +0.5, can block it +0.75, each weighted by
confidence, at most +2).
"""

from __future__ import annotations

from scoring.decision_power import _signal
from scoring.evidence import Mention, Said, once_per_sentence
from scoring.models import Contribution, ContributionKind, Score, ScoreName, total
from scoring.titles import title_rule

TITLE_SHARE = 0.55
PAGERANK_POINTS = 3.0
BETWEENNESS_POINTS = 1.5
SIGNAL_POINTS = {Said.INFLUENTIAL: 1.0, Said.ON_COMMITTEE: 0.5, Said.CAN_BLOCK: 0.75}
SIGNALS_CAP = 2.0


def influence(
    title: str | None, mentions: list[Mention], pagerank: float, betweenness: float
) -> Score:
    rule = title_rule(title)
    parts = [
        Contribution(
            ContributionKind.TITLE_RULE,
            f"title {title!r} reads as {rule.seniority.value}" if title else "no title known",
            round(rule.influence * TITLE_SHARE, 4),
        )
    ]
    if pagerank:
        parts.append(
            Contribution(
                ContributionKind.CENTRALITY,
                f"others look to them: PageRank {pagerank:.2f} of the account's top",
                round(PAGERANK_POINTS * pagerank, 4),
            )
        )
    if betweenness:
        parts.append(
            Contribution(
                ContributionKind.CENTRALITY,
                f"broker between groups: betweenness {betweenness:.2f} of the account's top",
                round(BETWEENNESS_POINTS * betweenness, 4),
            )
        )
    remaining = SIGNALS_CAP
    counted = once_per_sentence(mentions, {said: 0 for said in SIGNAL_POINTS})
    for mention in sorted(counted, key=lambda m: -m.confidence):
        points = min(remaining, SIGNAL_POINTS.get(mention.said, 0.0) * mention.confidence)
        if points <= 0:
            continue
        parts.append(_signal(mention.said.value.replace("_", " "), points, mention))
        remaining -= points
    return total(ScoreName.INFLUENCE, parts)
