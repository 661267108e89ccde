"""Decision power, 0-10: how much this person can make or stop a purchase decision.

Starts from the title rule (scoring.titles) and adds what conversations said: signing
off or holding the budget (+1.5 for the first piece of evidence, +0.75 for each more, at
most +3), being the one others run things by (+0.75 each, at most +2), claiming the call
(+1.0), and direct reports (+0.25 each, at most +1); and takes off what they said against
it: the budget is not theirs (-2.0), the call is not theirs (-1.5), at most -3 in all;
someone read only as a day-to-day user (-1.0) or an evaluator (-0.5), with nothing that
says they decide or sign, has less say than their title suggests.
Each term is weighted by the evidence's confidence and listed.
"""

from __future__ import annotations

from scoring.evidence import Mention, Said, once_per_sentence
from scoring.models import Contribution, ContributionKind, Score, ScoreName, total
from scoring.titles import title_rule

SIGN_OFF_FIRST, SIGN_OFF_MORE, SIGN_OFF_CAP = 1.5, 0.75, 3.0
DEFERRED_EACH, DEFERRED_CAP = 0.75, 2.0
AUTHORITY_POINTS = 1.0
REPORT_EACH, REPORTS_CAP = 0.25, 1.0
DENIAL_POINTS = {Said.NOT_BUDGET_HOLDER: -2.0, Said.NOT_DECIDER: -1.5}
# Read as only using or only testing it, with nothing that says they decide or sign.
HANDS_ON_POINTS = {Said.DAY_TO_DAY_USER: -1.0, Said.EVALUATOR: -0.5}
SAYS_MORE = {Said.SIGNS_OFF, Said.ECONOMIC_BUYER, Said.AUTHORITY, Said.DEFERRED_TO}
DENIALS_CAP = -3.0


# Which reading of a sentence counts when it was read several ways.
READING_RANK = {
    Said.SIGNS_OFF: 0,
    Said.ECONOMIC_BUYER: 0,
    Said.AUTHORITY: 1,
    Said.DEFERRED_TO: 2,
    Said.NOT_BUDGET_HOLDER: 3,
    Said.NOT_DECIDER: 3,
    Said.DAY_TO_DAY_USER: 4,
    Said.EVALUATOR: 4,
}


def decision_power(title: str | None, mentions: list[Mention], direct_reports: int = 0) -> Score:
    """The title rule plus what conversations said; one sentence counts once."""
    rule = title_rule(title)
    mentions = once_per_sentence(mentions, READING_RANK)
    parts = [
        Contribution(
            ContributionKind.TITLE_RULE,
            f"title {title!r} reads as {rule.seniority.value}" if title else "no title known",
            rule.decision_power,
        )
    ]
    parts += _capped(
        [m for m in mentions if m.said in (Said.SIGNS_OFF, Said.ECONOMIC_BUYER)],
        "signs off / holds the budget",
        SIGN_OFF_FIRST,
        SIGN_OFF_MORE,
        SIGN_OFF_CAP,
    )
    parts += _capped(
        [m for m in mentions if m.said is Said.DEFERRED_TO],
        "others run decisions by them",
        DEFERRED_EACH,
        DEFERRED_EACH,
        DEFERRED_CAP,
    )
    for mention in [m for m in mentions if m.said is Said.AUTHORITY][:1]:
        parts.append(
            _signal("says the decision is theirs", AUTHORITY_POINTS * mention.confidence, mention)
        )
    parts += _denials([m for m in mentions if m.said in DENIAL_POINTS])
    if not any(m.said in SAYS_MORE for m in mentions):
        parts += _hands_on([m for m in mentions if m.said in HANDS_ON_POINTS])
    if direct_reports:
        points = min(REPORTS_CAP, REPORT_EACH * direct_reports)
        parts.append(
            Contribution(ContributionKind.SIGNAL, f"{direct_reports} direct report(s)", points)
        )
    return total(ScoreName.DECISION_POWER, parts)


def _denials(mentions: list[Mention]) -> list[Contribution]:
    """What they said against their own power, one term per kind, down to the cap."""
    parts: list[Contribution] = []
    remaining = DENIALS_CAP
    for said, points in DENIAL_POINTS.items():
        strongest = max(
            (m for m in mentions if m.said is said), key=lambda m: m.confidence, default=None
        )
        if strongest is None or remaining >= 0:
            continue
        taken = max(remaining, points * strongest.confidence)
        label = (
            "says the budget is not theirs"
            if said is Said.NOT_BUDGET_HOLDER
            else "says the call is not theirs"
        )
        parts.append(_signal(label, taken, strongest))
        remaining -= taken
    return parts


def _hands_on(mentions: list[Mention]) -> list[Contribution]:
    """Someone read as a day-to-day user or an evaluator, and as nothing that decides:
    their say in the purchase is below what the title alone suggests (the strongest
    reading counts)."""
    strongest = min(mentions, key=lambda m: HANDS_ON_POINTS[m.said] * m.confidence, default=None)
    if strongest is None:
        return []
    label = "uses it day to day" if strongest.said is Said.DAY_TO_DAY_USER else "evaluates it"
    return [_signal(label, HANDS_ON_POINTS[strongest.said] * strongest.confidence, strongest)]


def _capped(
    mentions: list[Mention], label: str, first: float, more: float, cap: float
) -> list[Contribution]:
    parts: list[Contribution] = []
    remaining = cap
    for index, mention in enumerate(sorted(mentions, key=lambda m: -m.confidence)):
        points = min(remaining, (first if index == 0 else more) * mention.confidence)
        if points <= 0:
            break
        parts.append(_signal(label, points, mention))
        remaining -= points
    return parts


def _signal(label: str, points: float, mention: Mention) -> Contribution:
    return Contribution(
        ContributionKind.SIGNAL,
        label,
        round(points, 4),
        mention.quote,
        mention.conversation_id,
        mention.signal_id,
    )
