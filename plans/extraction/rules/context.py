"""Next steps, company facts, trust indicators and sentiment."""

from __future__ import annotations

import re

from plans.extraction.rules.dates import DateReader
from plans.extraction.rules.lexicon import NEGATIVE_WORDS, POSITIVE_WORDS, TECH_PATTERN
from plans.extraction.rules.people import People
from plans.extraction.rules.text import Sentence
from plans.extraction.signals import (
    CompanyFact,
    CompanyFactKind,
    NextStep,
    Sentiment,
    Side,
    TrustIndicator,
    TrustKind,
)

ACTION_VERBS = (
    r"send|share|set up|setup|schedule|book|get|put together|draft|follow up|loop in|introduce|"
    r"circle back|review|check|prepare|reach out|connect|confirm|forward|walk|run|pull together|"
    r"email|call|demo|scope|finalize|finalise|sign|submit|return|complete|fill out|provide|arrange|"
    r"organise|organize|present|write up|come back|talk to|speak to|sync|meet"
)
OWN_STEP = re.compile(
    rf"\b(?P<who>i|we)(?:'ll| will|'m going to| am going to|'re going to| are going to| can| shall) (?:also )?(?:then )?(?P<action>(?:{ACTION_VERBS})\b[^.;!?]{{3,160}})"
)
ASKED_STEP = re.compile(
    rf"\b(?:can|could|would) you (?:please )?(?P<action>(?:{ACTION_VERBS})\b[^.;!?]{{3,160}})"
)
LISTED_STEP = re.compile(
    r"\b(?:next steps?|action items?|to[- ]dos?)\b\s*(?:are|is|:|-|would be)?\s*(?P<action>[^.;!?]{5,200})",
    re.IGNORECASE,
)
LETS_STEP = re.compile(
    rf"\blet'?s (?P<action>(?:{ACTION_VERBS}|plan|reconvene|regroup|aim to|target)\b[^.;!?]{{3,160}})"
)
NAMED_STEP = (
    r"\b(?P<name>{names}) (?:will|'ll|is going to|to) (?P<action>(?:{verbs})\b[^.;!?]{{3,160}})"
)

SIZE = re.compile(
    r"\b(?:we(?:'re| are) (?:a |an )?|we have (?:about |around |over |roughly |nearly )?|about |around |roughly |over |nearly )?"
    r"(?P<n>\d[\d,.]*\s?k?|[a-z]+(?:[- ][a-z]+)?) ?(?:thousand )?(?P<what>employees|people|staff|hospitals|stores|locations|sites|clinics|branches|offices|agents|beds|warehouses|plants|factories|countries|engineers|developers|support agents|nurses|physicians|students)\b"
)
INDUSTRY = re.compile(
    r"\bwe(?:'re| are) (?:a |an )?(?:\w+[- ])?(?P<what>bank|credit union|insurer|insurance company|hospital|health system|healthcare provider|clinic network|retailer|e-?commerce (?:company|business|brand)|manufacturer|logistics (?:company|provider|business)|3pl|carrier|university|school district|college|law firm|accounting firm|saas company|software company|fintech|telco|utility|airline|hotel group|restaurant group|media company|publisher|nonprofit|charity|government agency|council|pharma company|biotech|marketplace|agency|consultancy)\b"
)
INITIATIVE = re.compile(
    r"\b(?:(?:our|the) (?:big |main |top |biggest |key )?(?:priority|initiative|focus|mandate|program(?:me)?|project) (?:this year |for (?:this|next) year |for 20\d\d )?(?:is|will be)|strategic (?:priority|initiative|goal)|(?:we're|we are) (?:in the middle of |)(?:moving|migrating|consolidating|modernizing|modernising|rolling out|transitioning|expanding)|digital transformation|cloud migration|going (?:public|ipo)|acquisition|merger|expanding into)\b"
)
VULNERABILITY = re.compile(
    # Candour ("I'll be blunt", "honestly") is a way of speaking, not something exposed.
    r"\b(?:between (?:us|you and me)|off the record|confidentially|in confidence|"
    r"(?:my|our) (?:credibility|neck|job|head|reputation) (?:is|was|took|on the line|at stake)|"
    r"i(?:'m| am) (?:worried|nervous|under pressure|on the hook)|i (?:made|own) (?:a|the) mistake|not a fun (?:week|time)|don'?t tell (?:anyone|them)|my boss is breathing)\b"
)
REFERRAL = re.compile(
    r"\b(?:you should (?:talk|speak|reach out|connect|meet)|(?:you'd|you would) want to (?:talk|speak|meet)|worth (?:talking|speaking|reaching out) to|"
    r"i(?:'ll| will|'d be happy to| can|'m happy to| could) (?:introduce|connect|intro|put you in touch)|happy to (?:intro|introduce|connect|make an intro)|"
    r"let me (?:introduce|connect|put you in touch)|(?:i'll|i will) loop (?:in|you in)|refer(?:red|ral)|connecting you (?:two|both)|might be willing to (?:get on a call|talk|speak))\b"
)
INTERNAL = re.compile(
    r"\b(?:(?:our|the) (?:board|ceo|cfo|coo|leadership|exec(?:utive)? team|management|parent company) (?:is|was|wants|thinks|asked|told|has|isn't|doesn't|hates|loves|cares)|"
    r"internally|behind the scenes|re-?org(?:anization|anisation)?|restructur\w+|layoffs?|hiring freeze|headcount freeze|(?:budget|planning) (?:meeting|cycle|season|process)|"
    r"(?:they|the other vendor|[A-Z]\w+) quoted us|their (?:quote|price|bid) (?:was|is)|don'?t share|not public|confidential|the real reason|politic\w*)\b"
)


def find_next_steps(
    sentences: list[Sentence], people: People, reader: DateReader
) -> list[NextStep]:
    steps: dict[str, NextStep] = {}
    named = re.compile(NAMED_STEP.format(names=people.pattern(), verbs=ACTION_VERBS))
    for sentence in sentences:
        if sentence.signature:
            continue
        text = sentence.text
        lowered = sentence.lower
        candidates: list[tuple[str | None, str, float]] = []
        for match in OWN_STEP.finditer(lowered):
            owner = (
                _speaker_name(sentence, people)
                if match.group("who") == "i"
                else _speaker_name(sentence, people)
            )
            candidates.append((owner, text[match.start("action") : match.end("action")], 0.75))
        if sentence.is_question:
            for match in ASKED_STEP.finditer(lowered):
                candidates.append((None, text[match.start("action") : match.end("action")], 0.6))
        for match in LISTED_STEP.finditer(text):
            candidates.append((None, match.group("action"), 0.7))
        for match in LETS_STEP.finditer(lowered):
            candidates.append((None, text[match.start("action") : match.end("action")], 0.6))
        for match in named.finditer(text):
            person = people.find(match.group("name"))
            candidates.append(
                (person.name if person else match.group("name"), match.group("action"), 0.7)
            )
        for owner, action, confidence in candidates:
            action = _tidy(action)
            if len(action) < 8 or _conditional(lowered):
                continue
            due = next((m.date for m in reader.find(action) if m.date >= reader.reference), None)
            key = action.casefold()[:60]
            if key not in steps:
                steps[key] = NextStep(
                    action=action[:500], owner=owner, due=due, quote=text, confidence=confidence
                )
    return list(steps.values())


def _tidy(action: str) -> str:
    action = re.sub(r"\s+", " ", action).strip(" ,-:")
    return action[:1].upper() + action[1:] if action else action


def _conditional(lowered: str) -> bool:
    return bool(re.search(r"\b(?:if|unless|whether|might|could maybe)\b", lowered))


def _speaker_name(sentence: Sentence, people: People) -> str | None:
    if sentence.speaker is None:
        return None
    person = people.find(sentence.speaker)
    return person.name if person else sentence.speaker


def find_company_facts(sentences: list[Sentence]) -> list[CompanyFact]:
    facts: dict[tuple[CompanyFactKind, str], CompanyFact] = {}
    for sentence in sentences:
        if sentence.side is Side.OURS or sentence.signature:
            continue
        lowered = sentence.lower
        for match in SIZE.finditer(lowered):
            if re.search(
                r"\b(?:we|we're|our|us|about|around|roughly|over|nearly)\b", lowered[: match.end()]
            ):
                value = sentence.text[match.start("n") : match.end("what")]
                facts.setdefault(
                    (CompanyFactKind.SIZE, value.lower()),
                    CompanyFact(
                        kind=CompanyFactKind.SIZE, value=value, quote=sentence.text, confidence=0.7
                    ),
                )
        for match in INDUSTRY.finditer(lowered):
            value = match.group("what")
            facts.setdefault(
                (CompanyFactKind.INDUSTRY, value),
                CompanyFact(
                    kind=CompanyFactKind.INDUSTRY, value=value, quote=sentence.text, confidence=0.7
                ),
            )
        for tech in {match.group(0) for match in TECH_PATTERN.finditer(sentence.text)}:
            facts.setdefault(
                (CompanyFactKind.TECH_STACK, tech.lower()),
                CompanyFact(
                    kind=CompanyFactKind.TECH_STACK,
                    value=tech,
                    quote=sentence.text,
                    confidence=0.65,
                ),
            )
        if INITIATIVE.search(lowered) and not sentence.is_question:
            value = sentence.text[:200]
            facts.setdefault(
                (CompanyFactKind.STRATEGIC_INITIATIVE, value.lower()),
                CompanyFact(
                    kind=CompanyFactKind.STRATEGIC_INITIATIVE,
                    value=value,
                    quote=sentence.text,
                    confidence=0.6,
                ),
            )
    return list(facts.values())


def find_trust(sentences: list[Sentence], people: People) -> list[TrustIndicator]:
    found: dict[tuple[TrustKind, str | None], TrustIndicator] = {}
    for sentence in sentences:
        if sentence.side is not Side.CUSTOMER or sentence.signature:
            continue
        who = _speaker_name(sentence, people)
        lowered = sentence.lower
        for kind, pattern, confidence in (
            (TrustKind.SHARED_VULNERABILITY, VULNERABILITY, 0.7),
            (TrustKind.REFERRAL, REFERRAL, 0.7),
            (TrustKind.INTERNAL_INFORMATION, INTERNAL, 0.6),
        ):
            if pattern.search(
                lowered if kind is not TrustKind.INTERNAL_INFORMATION else sentence.text
            ) or (kind is TrustKind.INTERNAL_INFORMATION and pattern.search(lowered)):
                found.setdefault(
                    (kind, who),
                    TrustIndicator(
                        kind=kind, person=who, quote=sentence.text, confidence=confidence
                    ),
                )
    return list(found.values())


def find_sentiment(sentences: list[Sentence]) -> Sentiment | None:
    scored: list[tuple[float, Sentence]] = []
    for sentence in sentences:
        if sentence.side is Side.OURS or sentence.signature:
            continue
        words = re.findall(r"[a-z']+", sentence.lower)
        positive = sum(1 for w in words if w in POSITIVE_WORDS)
        negative = sum(1 for w in words if w in NEGATIVE_WORDS)
        if re.search(r"\b(?:not|n't|never|no)\b", sentence.lower) and positive:
            positive, negative = negative, positive
        if positive or negative:
            scored.append(((positive - negative) / (positive + negative), sentence))
    if not scored:
        return None
    score = sum(value for value, _ in scored) / (len(scored) + 2)
    score = max(-1.0, min(1.0, round(score * 1.5, 2)))
    label = "positive" if score > 0.15 else "negative" if score < -0.15 else "neutral"
    strongest = max(scored, key=lambda item: abs(item[0]) if (item[0] > 0) == (score > 0) else 0)[1]
    return Sentiment(score=score, label=label, quote=strongest.text, confidence=0.55)
