"""What a conversation shows about one customer person, as numbers a trained model reads.

Roles are mostly shown, not stated: the person who keeps asking how the agent reaches the
database is evaluating it; the one who talks about committees, budgets and getting it
through is championing it; the one others run things by decides. These features are that
behaviour, computed from the document (never recomputed from raw text): how much and what
the person says (qualification cues in their own clauses, technical and usage vocabulary,
questions, plans they take on), what others say of them (role and tie patterns, mentions
near money and approval words), and their title.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from plans.extraction.document.models import Document
from plans.extraction.rules.people import People, Person
from plans.extraction.signals import (
    BANT_ELEMENTS,
    MEDDIC_ELEMENTS,
    BuyingRole,
    Element,
    Polarity,
    Qualification,
    Relation,
    RelationType,
    RoleSignal,
    Side,
)
from scoring.titles import Seniority, seniority

TECHNICAL = re.compile(
    r"\b(?:api|apis|sso|saml|scim|schema|latency|ports?|firewall|network|connectors?|"
    r"integrations?|architecture|database|sql|endpoint|webhooks?|encrypt\w*|logs?|tokens?|"
    r"load|throughput|deploy\w*|on-?prem\w*|cloud|aws|azure|gcp|kubernetes|docker|agent|"
    r"sandbox|staging|test\w*|poc|pilot|scale|sizing|volumes?|performance|uptime|failover|"
    r"config\w*|technical|code|scripts?|cdc|etl|rbac|mfa|vpn|ip|dns|json|csv|sdk)\b"
)
USAGE = re.compile(
    r"\b(?:every day|daily|day to day|day-to-day|all day|my team uses|we use|i use|our agents|"
    r"the agents|tickets?|queue|workflow|dashboards?|reports?|shifts?|on the floor|hands-on|"
    r"log ?in|click|screens?|manually|by hand|copy|paste|spreadsheets?|tabs?)\b"
)
MONEY = re.compile(
    r"\b(?:budget|money|spend|funding|price|pricing|cost|costs|approve|approval|sign|signs|"
    r"signed|sign-off|signoff|purchase|invoice|cheque|check|p&l|capex|opex|roi|business case)\b"
)
POSITIVE = re.compile(
    r"\b(?:love|loved|great|excellent|impressed|excited|keen|perfect|fantastic|brilliant|"
    r"exactly what|really like|happy|helpful|promising|makes sense|sold|on board|agree)\b"
)
NEGATIVE = re.compile(
    r"\b(?:concern\w*|worried|worry|sceptic\w*|skeptic\w*|not convinced|doubt\w*|risk\w*|"
    r"expensive|overkill|waste|problem with|issue with|push back|pushback|against|hate|"
    r"frustrat\w*|disappoint\w*|unhappy|no way|too much)\b"
)
FIRST_PERSON_PLAN = re.compile(r"^§\d+(?:'ll| will|'m going to| am going to| can) ")
ADVOCACY = re.compile(
    r"\b(?:internally|upstairs|the board|committee|leadership|exec\w*|get (?:it|this) "
    r"(?:through|approved|over the line)|business case|present|pitch|sell (?:it|this)|"
    r"make the case|push|sponsor|champion|i need this|we need this)\b"
)
FUNCTIONS = {
    "finance": r"financ|cfo|controller|treasur|account|fp&a|budget",
    "procurement": r"procure|purchas|sourcing|vendor|supply",
    "legal": r"legal|counsel|lawyer|solicitor|contract|compliance|privacy|dpo",
    "security": r"secur|ciso|infosec|risk|cyber|audit",
    "technology": r"\bit\b|cio|cto|engineer|architect|develop|data|platform|infrastructure|"
    r"devops|systems|technolog|software|analytics|bi\b|integration",
    "operations": r"operat|\bops\b|coo|logistics|warehouse|plant|facilit|supply chain",
    "service": r"support|service|success|agent|contact cent|help ?desk|cx\b",
    "executive": r"ceo|president|founder|owner|managing director|general manager|chief executive|"
    r"principal|partner|\bmd\b",
    "frontline": r"specialist|coordinator|associate|assistant|administrator|analyst|"
    r"representative|clerk|officer\b|technician|agent",
}
FUNCTION_PATTERNS = {name: re.compile(pattern) for name, pattern in FUNCTIONS.items()}
SENIORITY_RANK = {
    Seniority.OWNER: 1.0,
    Seniority.C_LEVEL: 0.9,
    Seniority.EXECUTIVE_VP: 0.8,
    Seniority.VP: 0.7,
    Seniority.DIRECTOR: 0.55,
    Seniority.MANAGER: 0.4,
    Seniority.SENIOR_CONTRIBUTOR: 0.25,
    Seniority.CONTRIBUTOR: 0.15,
    Seniority.UNKNOWN: 0.3,
}
# The elements a person's own sentences speak to (champion and authority are roles, read
# elsewhere).
ELEMENTS = tuple(
    e for e in (*MEDDIC_ELEMENTS, *BANT_ELEMENTS) if e not in (Element.CHAMPION, Element.AUTHORITY)
)
# Sentence-head labels read from the person's own sentences (the share of them).
READ_LABELS = (
    "role:champion",
    "role:user",
    "stance:supportive",
    "stance:opposed",
    "element:economic_buyer",
    "element:authority",
    "element:decision_criteria",
    "element:identified_pain",
    "element:metrics",
)
DENIABLE = (BuyingRole.ECONOMIC_BUYER, BuyingRole.DECISION_MAKER)
TIE_KINDS = (
    RelationType.REPORTS_TO,
    RelationType.DEFERS_TO,
    RelationType.INFLUENCES,
    RelationType.BACKS,
    RelationType.OPPOSES,
)


@dataclass(frozen=True)
class Evidence:
    """What extraction already found, that the person features read."""

    roles: list[RoleSignal]
    ties: list[Relation]
    qualification: list[Qualification]
    readings: list[dict[str, float]]  # per document sentence: the sentence heads' labels
    mentioned_roles: dict[str, dict[BuyingRole, float]]  # per person: mention heads' best


def feature_names() -> list[str]:
    names = [
        "participant",
        "spoke",
        "log_words",
        "word_share",
        "log_sentences",
        "question_share",
        "log_mentions_by_others",
        "mentioned_by_us",
        "only_mentioned",
        "seniority",
        "first_person_plans",
        "advocacy",
        "technical",
        "usage",
        "money_near",
        "positive",
        "negative",
    ]
    names += [f"function_{name}" for name in FUNCTIONS]
    names += [f"pattern_{role.value}" for role in BuyingRole]
    names += [
        f"denied_{role.value}" for role in (BuyingRole.ECONOMIC_BUYER, BuyingRole.DECISION_MAKER)
    ]
    names += [f"tie_out_{kind.value}" for kind in TIE_KINDS]
    names += [f"tie_in_{kind.value}" for kind in TIE_KINDS]
    names += [f"says_{element.value}" for element in ELEMENTS]
    names += [f"reads_{label.replace(':', '_')}" for label in READ_LABELS]
    names += [f"mention_{role.value}" for role in BuyingRole]
    return names


def person_features(
    document: Document, people: People, person: Person, evidence: Evidence
) -> list[float]:
    """The feature vector of `person`, in `feature_names()` order."""
    own = [s for s in document.sentences if s.speaker == person.name and not s.signature]
    customer_words = sum(len(s.text.split()) for s in document.sentences if s.side is Side.CUSTOMER)
    words = sum(len(s.text.split()) for s in own)
    about = [
        s
        for s in document.sentences
        if s.speaker != person.name and any(person.name in c.people() for c in s.clauses)
    ]
    frames = [c.frame for s in own for c in s.clauses]
    # The clauses others say about them: money near the person, not merely in a sentence
    # that also names them ("Priya signs off on 100k, and Marcus reports to me").
    said_of = [c.frame for s in about for c in s.clauses if person.name in c.people()]
    title = (person.title or "").lower()
    values = [
        float(person.confidence >= 0.9),
        float(bool(own)),
        math.log1p(words) / 8,
        words / customer_words if customer_words else 0.0,
        math.log1p(len(own)) / 5,
        sum(s.is_question for s in own) / len(own) if own else 0.0,
        math.log1p(len(about)) / 4,
        float(any(s.side is Side.OURS for s in about)),
        float(not own),
        SENIORITY_RANK[seniority(person.title)],
        _rate(sum(bool(FIRST_PERSON_PLAN.match(f)) for f in frames), len(own)),
        _rate(sum(bool(ADVOCACY.search(f)) for f in frames), len(own)),
        _rate(sum(len(TECHNICAL.findall(f)) for f in frames), len(own)),
        _rate(sum(len(USAGE.findall(f)) for f in frames), len(own)),
        _rate(sum(bool(MONEY.search(frame)) for frame in said_of), len(said_of)),
        _rate(sum(len(POSITIVE.findall(f)) for f in frames), len(own)),
        _rate(sum(len(NEGATIVE.findall(f)) for f in frames), len(own)),
    ]
    values += [float(bool(pattern.search(title))) for pattern in FUNCTION_PATTERNS.values()]
    held = _stated(evidence.roles, person.name, Polarity.SUPPORTS)
    denied = _stated(evidence.roles, person.name, Polarity.CONTRADICTS)
    values += [held.get(role, 0.0) for role in BuyingRole]
    values += [float(role in denied) for role in DENIABLE]
    out = Counter(t.type for t in evidence.ties if t.source == person.name)
    into = Counter(t.type for t in evidence.ties if t.target == person.name)
    values += [min(out[kind], 3) / 3 for kind in TIE_KINDS]
    values += [min(into[kind], 3) / 3 for kind in TIE_KINDS]
    spoken = {s.text for s in own}
    said = Counter(
        q.element
        for q in evidence.qualification
        if q.quote in spoken and q.polarity is Polarity.SUPPORTS
    )
    values += [min(said[element], 3) / 3 for element in ELEMENTS]
    read = [
        labels
        for sentence, labels in zip(document.sentences, evidence.readings, strict=True)
        if sentence.speaker == person.name
    ]
    values += [_rate(sum(label in labels for labels in read), len(read)) for label in READ_LABELS]
    mentioned = evidence.mentioned_roles.get(person.name, {})
    values += [mentioned.get(role, 0.0) for role in BuyingRole]
    return values


def _stated(roles: list[RoleSignal], name: str, polarity: Polarity) -> dict[BuyingRole, float]:
    """The strongest pattern confidence per role stated (or denied) for the person."""
    found: dict[BuyingRole, float] = {}
    for role in roles:
        if role.person == name and role.polarity is polarity:
            found[role.role] = max(found.get(role.role, 0.0), role.confidence)
    return found


def _rate(count: int, total: int) -> float:
    return min(1.0, count / max(total, 1) * 3)
