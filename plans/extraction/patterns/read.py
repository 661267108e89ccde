"""Run the role, tie and outcome patterns over a document and turn their hits into
signals, each carrying its pattern id and the sentence it came from."""

from __future__ import annotations

import re

from plans.extraction.document.models import Document
from plans.extraction.patterns.engine import Hit, find
from plans.extraction.patterns.outcomes import OUTCOME_PATTERNS
from plans.extraction.patterns.roles import ROLE_PATTERNS
from plans.extraction.patterns.ties import TIE_PATTERNS
from plans.extraction.rules.lexicon import COMPETITOR_PATTERN
from plans.extraction.rules.people import People
from plans.extraction.signals import (
    BuyingRole,
    Outcome,
    OutcomeKind,
    Polarity,
    Relation,
    RelationType,
    RoleSignal,
    Side,
)

ROLE_PATTERN_SET = tuple(pattern for _, pattern in ROLE_PATTERNS)
ROLE_OF_PATTERN = {pattern.id: role for role, pattern in ROLE_PATTERNS}
TIE_PATTERN_SET = tuple(pattern for _, pattern in TIE_PATTERNS)
TIE_OF_PATTERN = {pattern.id: kind for kind, pattern in TIE_PATTERNS}
OUTCOME_PATTERN_SET = tuple(pattern for _, pattern in OUTCOME_PATTERNS)
OUTCOME_OF_PATTERN = {pattern.id: kind for kind, pattern in OUTCOME_PATTERNS}
# Saying that someone else signs or approves is deferring to them.
DEFERRING_ROLE_PATTERNS = {
    "role.eb.signs",
    "role.eb.approves",
    "role.eb.final_say",
    "role.eb.needs_approval",
    "role.eb.money_with",
    "role.eb.possessive_money",
    "role.dm.possessive_call",
    "role.dm.decision_with",
}
# Ties a speaker states for their side ("we"): the speaker is the source.
SAID_FOR_US = {
    "tie.defers.run_by",
    "tie.defers.needs_approval",
    "tie.defers.waiting_on",
    "tie.defers.goes_through",
}
NOT_A_VENDOR = re.compile(
    r"^(?:a |an |the )?(?:phased|staged|slower|smaller|simpler|manual|spreadsheet|pilot|"
    r"plan|approach|option (?:a|b|one|two)|first|second|budget|timeline|it|that|this|"
    r"them|option|route|path|flow|gut|instinct|recommendation)\b"
)
SOMEONE_ELSE = re.compile(
    r"^(?:another (?:vendor|provider|supplier|tool|solution|platform|partner|option)|someone else|"
    r"a competitor|the competitor|the other (?:vendor|provider|supplier|tool|bidder)|"
    r"the incumbent|a different (?:vendor|provider|supplier|tool|solution))"
)


OTHER_TIME = re.compile(
    r"\b(?:last (?:year|time|quarter|month)|years ago|back (?:then|in)|used to|at the time|"
    r"previously|originally|in the past|(?:i|we|you) (?:said|told you|mentioned|thought))\b"
)


def customer_side(people: People, name: str) -> bool:
    person = people.by_name.get(name)
    return person is not None and person.side is not Side.OURS


def find_roles(document: Document, people: People) -> tuple[list[RoleSignal], list[Relation]]:
    """Role signals, and the deferrals that saying "Dana signs off" implies."""
    roles: dict[tuple[str, BuyingRole, bool], RoleSignal] = {}
    deferrals: list[Relation] = []
    for hit in find(document, ROLE_PATTERN_SET):
        holder = hit.slots.get("A")
        if holder is None or not customer_side(people, holder):
            continue
        if hit.sentence.side is Side.OURS:
            continue  # our own people's view of a customer's role is not evidence of it
        role = ROLE_OF_PATTERN[hit.pattern.id]
        key = (holder, role, hit.denied)
        if key not in roles or roles[key].confidence < hit.confidence:
            roles[key] = RoleSignal(
                person=holder,
                role=role,
                polarity=Polarity.CONTRADICTS if hit.denied else Polarity.SUPPORTS,
                quote=hit.sentence.text,
                confidence=hit.confidence,
                pattern=hit.pattern.id,
            )
        speaker = hit.sentence.speaker
        if (
            hit.pattern.id in DEFERRING_ROLE_PATTERNS
            and not hit.denied
            and speaker is not None
            and speaker != holder
            and customer_side(people, speaker)
        ):
            deferrals.append(
                Relation(
                    source=speaker,
                    type=RelationType.DEFERS_TO,
                    target=holder,
                    detail="signs off" if role is BuyingRole.ECONOMIC_BUYER else "decides",
                    quote=hit.sentence.text,
                    confidence=round(hit.confidence - 0.05, 2),
                    pattern=f"tie.defers.from_{hit.pattern.id}",
                )
            )
    return list(roles.values()), deferrals


def find_ties(document: Document, people: People) -> list[Relation]:
    ties: dict[tuple[str, RelationType, str], Relation] = {}
    for hit in find(document, TIE_PATTERN_SET):
        if hit.denied:
            continue
        kind = TIE_OF_PATTERN[hit.pattern.id]
        target = hit.slots.get("B")
        if "A" not in hit.slots and hit.sentence.speaker and hit.pattern.id in SAID_FOR_US:
            hit.slots["A"] = hit.sentence.speaker  # "we need to run it by Sarah"
        for source_slot in ("A", "C"):
            source = hit.slots.get(source_slot)
            if source is None or target is None or source == target:
                continue
            if not (customer_side(people, source) and customer_side(people, target)):
                continue
            key = (source, kind, target)
            if key not in ties or ties[key].confidence < hit.confidence:
                ties[key] = Relation(
                    source=source,
                    type=kind,
                    target=target,
                    quote=hit.sentence.text,
                    confidence=hit.confidence,
                    pattern=hit.pattern.id,
                )
    return list(ties.values())


def find_outcomes(document: Document) -> list[Outcome]:
    """One outcome per kind and sentence, however many patterns read it."""
    outcomes: list[Outcome] = []
    seen: set[tuple[OutcomeKind, int]] = set()
    for hit in find(document, OUTCOME_PATTERN_SET):
        if hit.sentence.side is Side.OURS or hit.denied and "not" not in hit.pattern.id:
            continue
        if hit.clause.hedged:
            continue  # "I think we've signed" is not yet an outcome
        if OTHER_TIME.search(hit.sentence.lower):
            continue  # "last year we went with Tableau": another deal, another time
        kind = OUTCOME_OF_PATTERN[hit.pattern.id]
        if kind is OutcomeKind.WON and COMPETITOR_PATTERN.search(hit.clause.text):
            continue  # "we signed Fivetran's order form" is not ours
        if (kind, hit.sentence.index) in seen:
            continue
        detail = "signed / PO issued / chose us" if kind is OutcomeKind.WON else "not proceeding"
        if kind is OutcomeKind.LOST and "other" in hit.pattern.compiled.groupindex:
            other = _other_vendor(hit)
            if other is None:
                continue
            detail = f"went with {other}"
        seen.add((kind, hit.sentence.index))
        outcomes.append(
            Outcome(
                kind=kind,
                detail=detail,
                quote=hit.sentence.text,
                confidence=hit.confidence,
                pattern=hit.pattern.id,
            )
        )
    return outcomes


def _other_vendor(hit: Hit) -> str | None:
    """The vendor a lost deal went to: a named competitor, a capitalised name, or "another
    vendor"; never us, and never a plan or an approach ("we went with a phased plan")."""
    match = hit.pattern.compiled.search(hit.clause.frame)
    said = match.group("other") if match else None
    if not said:
        return None
    if SOMEONE_ELSE.match(said):
        return said
    if NOT_A_VENDOR.match(said) or re.match(r"^(?:you|your|lumen|us)\b", said):
        return None
    original = re.search(re.escape(said.split()[0]), hit.clause.text, re.IGNORECASE)
    if original and original.group(0)[:1].isupper():
        return hit.clause.text[original.start() : original.start() + len(said)]
    competitor = COMPETITOR_PATTERN.search(hit.clause.text)
    return competitor.group(0) if competitor else None
