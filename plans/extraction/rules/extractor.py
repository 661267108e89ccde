"""The rule-based extractor: deterministic, offline, explainable.

Reads the conversation into sentences with speakers, then runs the phrase rules of each
area (people, relations, qualification, products, money, dates, next steps, facts,
trust, sentiment, outcomes) and scores the deal potential from what they found, with
every reason listed. Sentences that try to instruct an AI are set aside unread.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plans.catalogue.models import Catalogue
from plans.extraction.conversation import ConversationDocument
from plans.extraction.document.build import build_document
from plans.extraction.document.models import Document
from plans.extraction.document.models import Sentence as DocumentSentence
from plans.extraction.learned.deal_intent import MODEL_ID as INTENT_MODEL_ID
from plans.extraction.learned.deal_intent import DealEvidence, load_intent_model
from plans.extraction.learned.deal_intent import features as intent_features
from plans.extraction.learned.line_similarity import MODEL_ID as LINE_SIMILARITY_ID
from plans.extraction.learned.line_similarity import closest_line
from plans.extraction.learned.mention_roles import load_mention_roles
from plans.extraction.learned.person_features import (
    FUNCTION_PATTERNS,
    Evidence,
    person_features,
)
from plans.extraction.learned.person_roles import MODEL_ID, load_role_model
from plans.extraction.learned.sentences import MODEL_ID as SENTENCE_MODEL_ID
from plans.extraction.learned.sentences import (
    SENTENCE_FLOOR,
    element_thresholds,
    embed,
    load_heads,
)
from plans.extraction.patterns.read import find_outcomes, find_roles, find_ties
from plans.extraction.port import ExtractionRun
from plans.extraction.rules import commercial, context
from plans.extraction.rules.cues import (
    DEAL_NEGATIVE,
    EVALUATION_STEP,
    INJECTION,
    PAST_REFERENCE,
    QUALIFICATION_CUES,
    WE,
)
from plans.extraction.rules.dates import DateReader, fiscal_year_end_month
from plans.extraction.rules.named_products import named_products
from plans.extraction.rules.people import People, find_people, mentions, titles_from_frames
from plans.extraction.rules.text import Sentence, read
from plans.extraction.signals import (
    LINE_INTEREST,
    AmountKind,
    BuyingRole,
    DealPotential,
    Element,
    OutcomeKind,
    Polarity,
    ProductMention,
    Qualification,
    Relation,
    RelationType,
    RoleSignal,
    Side,
    Signals,
    most_confident_within_limits,
    validate_against,
)

MAX_PER_ELEMENT = 4


@dataclass
class Understanding:
    """The conversation as read, before the commercial rules: its document, its people and
    what the patterns found. The trained role model reads this (training reads it too)."""

    sentences: list[Sentence]
    set_aside: int
    reader: DateReader
    people: People
    document: Document
    roles: list[RoleSignal]
    ties: list[Relation]
    qualification: list[Qualification]
    readings: list[dict[str, float]]  # per document sentence: the sentence heads' labels
    vectors: np.ndarray  # per document sentence: its static vector
    mentioned_roles: dict[str, dict[BuyingRole, float]]  # per person: the mention heads' best

    def evidence(self) -> Evidence:
        return Evidence(
            self.roles, self.ties, self.qualification, self.readings, self.mentioned_roles
        )


def understand(conversation: ConversationDocument) -> Understanding:
    reading = read(conversation)
    sentences = [s for s in reading.sentences if not INJECTION.search(s.lower)]
    set_aside = len(reading.sentences) - len(sentences)
    reading.sentences = sentences
    occurred = conversation.occurred_at.date()
    reader = DateReader(occurred, fiscal_year_end_month("\n".join(s.text for s in sentences)))
    people = find_people(reading, conversation.account_name, conversation.account_domain)
    document = build_document(reading, people)
    titles_from_frames(
        [c.frame for s in document.sentences for c in s.clauses], document.names, people
    )
    roles, deferrals = find_roles(document, people)
    ties = _unique_ties(find_ties(document, people) + deferrals)
    heads = load_heads()
    vectors = embed([s.text for s in document.sentences]) if heads else np.zeros((0, 0))
    readings = (
        heads.read(document.sentences, vectors) if heads else [{} for _ in document.sentences]
    )
    mention_model = load_mention_roles()
    qualification = (
        _qualification(document)
        + _from_roles(roles, ties)
        + _read_qualification(document, readings)
    )
    return Understanding(
        sentences,
        set_aside,
        reader,
        people,
        document,
        roles,
        ties,
        qualification,
        readings,
        vectors,
        mention_model.strongest(document) if mention_model else {},
    )


def _read_qualification(
    document: Document, readings: list[dict[str, float]]
) -> list[Qualification]:
    """What the sentence heads read, for the sentences a customer said (or notes report)
    that state something (questions state nothing), where the head is as sure as its
    element's conversation-level threshold asks."""
    thresholds = element_thresholds()
    found: list[Qualification] = []
    for sentence, labels in zip(document.sentences, readings, strict=True):
        if sentence.signature or sentence.side is Side.OURS or sentence.is_question:
            continue
        for label, probability in labels.items():
            kind, _, name = label.partition(":")
            if kind not in ("element", "against"):
                continue
            if kind == "element" and probability < thresholds.get(name, SENTENCE_FLOOR):
                continue
            found.append(
                Qualification(
                    element=Element(name),
                    summary=_summary(f"read as {name.replace('_', ' ')}", sentence),
                    polarity=Polarity.SUPPORTS if kind == "element" else Polarity.CONTRADICTS,
                    quote=sentence.text,
                    confidence=round(min(probability, 0.9), 2),
                    pattern=SENTENCE_MODEL_ID,
                )
            )
    return found


class RuleExtractor:
    name = "rules"

    def extract(self, conversation: ConversationDocument, catalogue: Catalogue) -> ExtractionRun:
        seen = understand(conversation)
        sentences, reader = seen.sentences, seen.reader
        occurred = conversation.occurred_at.date()
        roles = combined_roles(seen)
        qualification = seen.qualification + _from_roles(
            [r for r in roles if r.pattern == MODEL_ID], []
        )
        amounts = commercial.find_amounts(sentences)
        close_dates = commercial.find_close_dates(sentences, reader, occurred)
        competitors = commercial.find_competitors(sentences)
        qualification += _from_commercial(amounts, close_dates, competitors)
        signals = most_confident_within_limits(
            people=mentions(seen.people, conversation.text),
            relations=seen.ties,
            roles=roles,
            qualification=_strongest_per_element(qualification),
            products=_products(seen, catalogue, conversation.account_name),
            amounts=amounts,
            close_dates=close_dates,
            next_steps=context.find_next_steps(sentences, seen.people, reader),
            competitors=competitors,
            sentiment=context.find_sentiment(sentences),
            company_facts=context.find_company_facts(sentences),
            trust=context.find_trust(sentences, seen.people),
            outcomes=find_outcomes(seen.document),
        )
        signals.deal = deal_potential(signals, sentences)
        validate_against(signals, conversation.text)
        note = (
            f"{seen.set_aside} sentence(s) that address an AI were ignored"
            if seen.set_aside
            else None
        )
        return ExtractionRun(signals=signals, extractor=self.name, note=note)


def _products(seen: Understanding, catalogue: Catalogue, account: str) -> list[ProductMention]:
    """Catalogue lines by their words; when no line's words carry real interest, the line
    the customer's talk is clearly closest to in meaning, as a weaker mention. With no
    catalogue at all, the product names said, with no line."""
    found = commercial.find_products(seen.sentences, catalogue)
    if not catalogue.product_lines:
        said = {p.text.casefold() for p in found}
        named = named_products(seen.sentences, list(seen.people.by_name), account)
        return found + [p for p in named if p.text.casefold() not in said]
    if any(p.product_line and p.interest >= LINE_INTEREST for p in found) or not len(seen.vectors):
        return found
    customer = [
        i
        for i, s in enumerate(seen.document.sentences)
        if s.side is not Side.OURS and not s.signature
    ]
    match = closest_line(
        [seen.document.sentences[i].text for i in customer], seen.vectors[customer], catalogue
    )
    if match is None:
        return found
    line = catalogue.line(match.key)
    return [p for p in found if p.product_line != match.key] + [
        ProductMention(
            text=line.name if line else match.key,
            product_line=match.key,
            interest=0.55,
            quote=match.sentence,
            confidence=0.6,
            pattern=LINE_SIMILARITY_ID,
        )
    ]


def combined_roles(seen: Understanding) -> list[RoleSignal]:
    """The roles the patterns state, and those the trained model reads from each customer
    person's behaviour; a role the patterns deny is never added by the model."""
    model = load_role_model()
    if model is None:
        return seen.roles
    evidence = seen.evidence()
    denied = {(r.person, r.role) for r in seen.roles if r.polarity is Polarity.CONTRADICTS}
    stated = {(r.person, r.role) for r in seen.roles if r.polarity is Polarity.SUPPORTS}
    found = list(seen.roles)
    for person in seen.people.by_name.values():
        if person.side is not Side.CUSTOMER or not _enough_to_read(seen.document, person.name):
            continue
        predicted = model.roles(person_features(seen.document, seen.people, person, evidence))
        for role, probability in predicted.items():
            if (person.name, role) in denied or (person.name, role) in stated:
                continue
            if role in SAID_ROLES and not _said_of(evidence, person.name, person.title, role):
                continue
            quote = _telling_sentence(seen.document, person.name)
            if quote is None:
                continue
            found.append(
                RoleSignal(
                    person=person.name,
                    role=role,
                    quote=quote,
                    confidence=round(min(probability, 0.9), 2),
                    pattern=MODEL_ID,
                )
            )
    return found


# Roles about power: read from behaviour only when some sentence says it of the person.
SAID_ROLES = {BuyingRole.ECONOMIC_BUYER, BuyingRole.DECISION_MAKER}


def _said_of(evidence: Evidence, name: str, title: str | None, role: BuyingRole) -> bool:
    """Whether a sentence reads as this power for the person (the mention heads), or,
    for the money, their title is finance's."""
    if evidence.mentioned_roles.get(name, {}).get(role, 0.0) >= 0.5:
        return True
    finance = FUNCTION_PATTERNS["finance"]
    return role is BuyingRole.ECONOMIC_BUYER and bool(title and finance.search(title.lower()))


def _enough_to_read(document: Document, name: str) -> bool:
    """Behaviour needs some of it to read: the person spoke, or was spoken of twice. One
    passing mention tells only what a pattern finds in it."""
    spoke = any(s.speaker == name for s in document.sentences)
    mentioned = sum(1 for s in document.sentences for c in s.clauses if name in c.people())
    return spoke or mentioned >= 2


def _telling_sentence(document: Document, name: str) -> str | None:
    """A sentence to show as the evidence of a behaviour-read role: the person's longest
    sentence, else the first that names them."""
    own = [s.text for s in document.sentences if s.speaker == name and not s.signature]
    if own:
        return max(own, key=len)
    return next(
        (s.text for s in document.sentences if any(name in c.people() for c in s.clauses)),
        None,
    )


def _qualification(document: Document) -> list[Qualification]:
    """Qualification cues, clause by clause, as the clause's mood allows: a question
    states nothing; a negated clause is no support (the cues for "no budget" carry their
    own negation); a condition or a hedge weakens; a contradiction under a condition ("if
    it slips, the money goes away") is a risk, not a fact."""
    found: list[Qualification] = []
    for sentence in document.sentences:
        if sentence.signature or sentence.side is Side.OURS:
            continue
        for clause in sentence.clauses:
            if clause.question:
                continue
            lowered = clause.text.lower()
            for cue in QUALIFICATION_CUES:
                if cue.needs_we and not WE.search(lowered):
                    continue
                if not cue.pattern.search(lowered):
                    continue
                if cue.polarity is Polarity.SUPPORTS and clause.negated:
                    continue
                if cue.polarity is Polarity.CONTRADICTS and clause.conditional:
                    continue
                confidence = cue.confidence - 0.15 * clause.hedged - 0.15 * clause.conditional
                found.append(
                    Qualification(
                        element=cue.element,
                        summary=_summary(cue.summary, sentence),
                        polarity=cue.polarity,
                        quote=sentence.text,
                        confidence=round(max(confidence, 0.05), 2),
                        pattern=cue.id,
                    )
                )
    return found


ELEMENTS_OF_ROLE = {
    BuyingRole.ECONOMIC_BUYER: (Element.ECONOMIC_BUYER, Element.AUTHORITY),
    BuyingRole.DECISION_MAKER: (Element.AUTHORITY,),
    BuyingRole.CHAMPION: (Element.CHAMPION,),
}


def _from_roles(roles: list[RoleSignal], ties: list[Relation]) -> list[Qualification]:
    """A stated economic buyer, decider or champion is that element's evidence, with its
    person; someone whose sign-off others need is evidence of the decision process."""
    found: list[Qualification] = []
    for role in roles:
        if role.polarity is not Polarity.SUPPORTS:
            continue
        for element in ELEMENTS_OF_ROLE.get(role.role, ()):
            found.append(
                Qualification(
                    element=element,
                    summary=f"{role.person}: {role.role.value.replace('_', ' ')}",
                    person=role.person,
                    quote=role.quote,
                    confidence=role.confidence,
                    pattern=role.pattern,
                )
            )
    for tie in ties:
        if tie.type is RelationType.DEFERS_TO:
            found.append(
                Qualification(
                    element=Element.DECISION_PROCESS,
                    summary=f"{tie.source} needs {tie.target}'s approval",
                    person=tie.target,
                    quote=tie.quote,
                    confidence=round(tie.confidence - 0.1, 2),
                    pattern=tie.pattern,
                )
            )
    return found


def _unique_ties(ties: list[Relation]) -> list[Relation]:
    best: dict[tuple[str, RelationType, str | None], Relation] = {}
    for tie in ties:
        key = (tie.source, tie.type, tie.target)
        if key not in best or best[key].confidence < tie.confidence:
            best[key] = tie
    return list(best.values())


def _summary(label: str, sentence: DocumentSentence) -> str:
    text = sentence.text if len(sentence.text) <= 160 else sentence.text[:157] + "..."
    return f"{label}: {text}"


def _from_commercial(amounts: list, close_dates: list, competitors: list) -> list[Qualification]:  # type: ignore[type-arg]
    found: list[Qualification] = []
    for amount in amounts:
        if amount.kind is AmountKind.BUDGET:
            found.append(
                Qualification(
                    element=Element.BUDGET,
                    summary=f"budget of {amount.value:,.0f} {amount.currency}",
                    quote=amount.quote,
                    confidence=amount.confidence,
                    pattern="commercial.budget_amount",
                )
            )
    for close in close_dates:
        found.append(
            Qualification(
                element=Element.TIMELINE,
                summary=f"timeline: {close.text} ({close.date.isoformat()})",
                quote=close.quote,
                confidence=close.confidence,
                pattern="commercial.close_date",
            )
        )
    for competitor in competitors:
        if competitor.stance in ("evaluating", "incumbent", "chosen"):
            found.append(
                Qualification(
                    element=Element.COMPETITION,
                    summary=f"{competitor.name} ({competitor.stance})",
                    quote=competitor.quote,
                    confidence=competitor.confidence,
                    pattern="commercial.competitor",
                )
            )
    return found


def _strongest_per_element(items: list[Qualification]) -> list[Qualification]:
    """Keep the few most telling pieces of evidence per element and polarity: those that
    name their person first (an economic buyer's evidence should say who), then the most
    confident; one per quote."""
    grouped: dict[tuple[Element, Polarity], list[Qualification]] = {}
    for item in items:
        grouped.setdefault((item.element, item.polarity), []).append(item)
    kept: list[Qualification] = []
    for group in grouped.values():
        ranked = sorted(group, key=lambda q: (q.person is not None, q.confidence))
        unique = {item.quote: item for item in ranked}
        kept += sorted(unique.values(), key=lambda q: (q.person is None, -q.confidence))[
            :MAX_PER_ELEMENT
        ]
    return kept


def _evaluation_step(signals: Signals, sentences: list[Sentence]) -> bool:
    return any(EVALUATION_STEP.search(s.action.lower()) for s in signals.next_steps) or any(
        EVALUATION_STEP.search(s.lower)
        for s in sentences
        if s.side is Side.CUSTOMER and not s.is_question
    )


def _hesitations(sentences: list[Sentence]) -> list[Sentence]:
    return [
        s
        for s in sentences
        if s.side is not Side.OURS
        and not s.is_question
        and DEAL_NEGATIVE.search(s.lower)
        and not PAST_REFERENCE.search(s.lower)
    ]


def deal_evidence(signals: Signals, sentences: list[Sentence]) -> DealEvidence:
    """What the deal-intent model reads besides the signals."""
    return DealEvidence(
        evaluation_step=_evaluation_step(signals, sentences),
        hesitations=len(_hesitations(sentences)),
        customer_sentences=sum(1 for s in sentences if s.side is Side.CUSTOMER),
    )


def deal_potential(signals: Signals, sentences: list[Sentence]) -> DealPotential | None:
    """How real the buying intent is, from what was found. Every term is a listed reason;
    creation needs several independent signs of a deal, so one strong phrase is never
    enough on its own."""
    reasons: list[str] = []
    score = 0.05

    def has(
        element: Element, polarity: Polarity = Polarity.SUPPORTS, at_least: float = 0.6
    ) -> bool:
        return any(
            q.element is element and q.polarity is polarity and q.confidence >= at_least
            for q in signals.qualification
        )

    lines = [p for p in signals.products if p.product_line and p.interest >= 0.55]
    if lines:
        best = max(lines, key=lambda p: p.interest)
        score += 0.15 + 0.1 * (best.interest >= 0.8)
        reasons.append(f"interest in {best.text} ({best.interest:.2f})")
    if has(Element.IDENTIFIED_PAIN) or has(Element.NEED):
        score += 0.15
        reasons.append("a stated need or pain")
    if has(Element.BUDGET) or any(
        a.kind in (AmountKind.BUDGET, AmountKind.DEAL_SIZE) for a in signals.amounts
    ):
        score += 0.15
        reasons.append("budget or deal size discussed")
    if has(Element.TIMELINE) or signals.close_dates:
        score += 0.15
        reasons.append("a timeline")
    if has(Element.DECISION_PROCESS) or has(Element.PAPER_PROCESS):
        score += 0.1
        reasons.append("decision or contracting process known")
    if has(Element.ECONOMIC_BUYER) or has(Element.AUTHORITY):
        score += 0.05
        reasons.append("who decides is known")
    if _evaluation_step(signals, sentences):
        score += 0.1
        reasons.append("a step toward evaluation or purchase")
    negatives = _hesitations(sentences)
    if negatives:
        score -= 0.2 * min(len(negatives), 2)
        reasons.append(f"hesitation: {negatives[0].text[:100]}")
    if any(
        has(element, Polarity.CONTRADICTS) and not has(element)
        for element in (Element.BUDGET, Element.TIMELINE)
    ):
        score -= 0.15
        reasons.append("no budget or no timeline")
    if any(o.kind is OutcomeKind.LOST for o in signals.outcomes):
        score -= 0.4
        reasons.append("the customer chose not to buy")
    if not reasons:
        return None
    quote_source = (negatives[0].text if negatives else None) or (lines[0].quote if lines else None)
    if quote_source is None:
        evidence = [q for q in signals.qualification if q.polarity is Polarity.SUPPORTS]
        if not evidence:
            return None
        quote_source = evidence[0].quote
    model = load_intent_model()
    if model is not None:
        told = deal_evidence(signals, sentences)
        probability, learned = model.judge(intent_features(signals, told))
        return DealPotential(
            potential=round(min(probability, 0.99), 2),
            reasons=learned or reasons,
            quote=quote_source,
            confidence=0.75,
            pattern=INTENT_MODEL_ID,
        )
    return DealPotential(
        potential=round(max(0.0, min(score, 0.98)), 2),
        reasons=reasons,
        quote=quote_source,
        confidence=0.7,
        pattern="rules.deal_potential",
    )
