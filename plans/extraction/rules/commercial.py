"""The commercial side of a conversation: which product lines, how much money, by when,
which competitors. (Outcomes are read over the document: `patterns.outcomes`.)"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from plans.catalogue.models import Catalogue
from plans.extraction.rules.dates import DateReader
from plans.extraction.rules.lexicon import (
    CATEGORY_PHRASES,
    CATEGORY_WORDS,
    COMPETITOR_CATEGORY,
    COMPETITOR_PATTERN,
    HEDGE,
)
from plans.extraction.rules.money import find_money
from plans.extraction.rules.text import Sentence
from plans.extraction.signals import (
    Amount,
    AmountKind,
    CloseDate,
    Competitor,
    ProductMention,
    Side,
)

INTENT = re.compile(
    r"\b(?:interested in|looking (?:at|for|to)|need|needs|want|wants|evaluat\w+|pilot|poc|proof of concept|"
    r"trial|demo|pricing|price|quote|proposal|buy|purchase|licen[cs]\w*|roll (?:it )?out|deploy|implement|"
    r"replace|switch|migrate|move to|sign|start with|go with|add|expand|upgrade|scope|onboard)\b"
)
NOT_INTERESTED = re.compile(
    r"\b(?:not interested|don'?t need|no need for|already have|happy with (?:our (?:current|existing|own)|what we (?:have|'ve got|already)|the (?:current|existing) (?:one|tool|setup|system|vendor)|how things are|the status quo)|not looking|not for us|"
    r"no plans|isn'?t a fit|not a fit|won'?t need|not right now)\b"
)
UNKNOWN_PRODUCT = re.compile(
    r"\b(?:do you|does lumen|do you guys|can you|could you|would you) (?:also )?(?:have|offer|sell|do|provide|make|build|support) "
    r"(?:a |an |any |some )?(?P<thing>[a-z][a-z0-9 /&-]{2,40}?)(?:\s+(?:product|tool|solution|module|offering|platform))?(?:\?|,| too| as well| or)"
)
CLOSE_CONTEXT = (
    (
        re.compile(
            r"\b(?:sign(?:ed|ing|ature)?|contracts?|clos(?:e|ing)|decisions?|decid(?:e|ed|ing)|purchas(?:e|ing)|buy(?:ing)?|po|commit(?:ted|ting)?|award(?:ed|ing)?|select(?:ed|ing|ion)?|go[- ]ahead|approv(?:e|al|ed))\b"
        ),
        0.85,
    ),
    (
        re.compile(
            r"\b(?:budget|fiscal|funds?|use[- ]it[- ]or[- ]lose[- ]it|renewal|renew|expir(?:e|es|y)|deadline)\b"
        ),
        0.7,
    ),
    (
        re.compile(
            r"\b(?:go[- ]live|live|launch(?:ed|ing)?|roll(?:ing)? ?out|deploy(?:ed|ing|ment)?|in place|up and running|implement(?:ed|ing|ation)?|kick[- ]?off|onboard(?:ing)?|migrat(?:e|ion|ing))\b"
        ),
        0.55,
    ),
)
MAX_CONTEXT_GAP = 60  # characters between the date and the word that makes it a close date
AMOUNT_KIND = (
    (
        re.compile(
            r"\b(?:anything|everything|purchases?|spend|contracts?|deals?) (?:over|above|bigger than|more than|under|north of)\b|\bsign(?:s|ing)? (?:off )?(?:anything )?(?:above|over)\b|\b(?:above|over) (?:s\$|\$|€|£)?\s?[\d.,]+\s?k?\b.{0,20}\b(?:goes|go|needs?|has) to\b"
        ),
        AmountKind.THRESHOLD,
    ),
    (
        re.compile(
            r"\b(?:price|pricing|quote|quoted|fees?|list price|per (?:seat|user|month|year|agent)|proposal|counter[- ]?proposal|offer|order form|licen[cs]e|subscription|arr|acv|all[- ]in|ceiling|year one|yr ?1|first year|for (?:12|twelve|24|36) months|over (?:two|three|2|3) years|term|invoice|commercials?)\b"
        ),
        AmountKind.DEAL_SIZE,
    ),
    (
        re.compile(
            r"\b(?:budget\w*|line item|envelope|capex|opex|allocated|approved|set aside|put aside|(?:financial|fiscal) year|for the year|got (?:somewhere|about|around|roughly)?|(?:i|we)(?:'ve| have) got|left in|to spend|can find|afford)\b"
        ),
        AmountKind.BUDGET,
    ),
)


def customer_view(sentence: Sentence) -> bool:
    """A customer said it, or a note/thread with no known author reports it."""
    return sentence.side in (Side.CUSTOMER, Side.UNKNOWN) and not sentence.signature


COMPETITOR_NAMES = COMPETITOR_PATTERN


def find_products(sentences: list[Sentence], catalogue: Catalogue) -> list[ProductMention]:
    """One mention per catalogue line discussed, with an interest that grows with how much,
    by whom and how keenly it was discussed; plus products we do not sell."""
    weights: dict[str, float] = {}
    best: dict[str, tuple[float, str, str, bool]] = {}  # key -> (weight, phrase, quote, strong)
    unknown: dict[str, ProductMention] = {}
    matcher = catalogue.matcher
    for sentence in sentences:
        if sentence.signature:
            continue
        lowered = sentence.lower
        masked = COMPETITOR_NAMES.sub(lambda m: "#" * len(m.group(0)), sentence.text)
        for hit in matcher.find(masked):
            weight = _hit_weight(sentence, lowered, hit.strong)
            weights[hit.key] = weights.get(hit.key, 0.0) + weight
            if hit.key not in best or weight > best[hit.key][0]:
                best[hit.key] = (
                    weight,
                    sentence.text[hit.start : hit.end],
                    sentence.text,
                    hit.strong,
                )
        if customer_view(sentence):
            for match in UNKNOWN_PRODUCT.finditer(lowered):
                thing = match.group("thing").strip()
                if matcher.find(thing) or len(thing) < 3:
                    continue
                unknown.setdefault(
                    thing,
                    ProductMention(
                        text=thing,
                        product_line=None,
                        interest=0.5,
                        quote=sentence.text,
                        confidence=0.6,
                    ),
                )
    for key, extra in _category_evidence(sentences, catalogue).items():
        weights[key] = weights.get(key, 0.0) + extra
    top = max(weights.values(), default=0.0)
    mentions = []
    for key, total in weights.items():
        if total <= 0:
            continue
        interest = min(0.95, 0.35 + 0.15 * total)
        if total < 0.4 * top:
            interest *= 0.6  # mentioned in passing next to the line the deal is about
        if key not in best:
            continue
        _, phrase, quote, strong = best[key]
        mentions.append(
            ProductMention(
                text=phrase,
                product_line=key,
                interest=round(interest, 2),
                quote=quote,
                confidence=0.85 if strong else 0.7,
            )
        )
    return mentions + list(unknown.values())


CATEGORY_WEIGHT = 0.25  # a described problem or a competitor is weaker than a named line
MAX_CATEGORY_WEIGHT = 2.0


def _category_evidence(sentences: list[Sentence], catalogue: Catalogue) -> dict[str, float]:
    """Lines pointed to by the kind of problem described or the competitors named."""
    lines_of = {
        category: {hit.key for hit in catalogue.matcher.find(words)}
        for category, words in CATEGORY_WORDS.items()
    }
    weights: dict[str, float] = {}
    for sentence in sentences:
        if not customer_view(sentence) or sentence.signature:
            continue
        categories = {
            category for pattern, category in CATEGORY_PHRASES if pattern.search(sentence.lower)
        }
        categories |= {
            COMPETITOR_CATEGORY[match.group(0)]
            for match in COMPETITOR_PATTERN.finditer(sentence.text)
            if match.group(0) in COMPETITOR_CATEGORY
        }
        for category in categories:
            for key in lines_of.get(category, set()):
                weights[key] = min(MAX_CATEGORY_WEIGHT, weights.get(key, 0.0) + CATEGORY_WEIGHT)
    return weights


def _hit_weight(sentence: Sentence, lowered: str, strong: bool) -> float:
    if NOT_INTERESTED.search(lowered):
        return -1.0
    weight = 1.5 if strong else 0.5  # naming the product says more than a keyword
    if sentence.side is Side.OURS:
        weight *= 0.5
    if INTENT.search(lowered) and not sentence.is_question:
        weight *= 1.5
    if HEDGE.search(lowered):
        weight *= 0.8
    return weight


def default_currency(sentences: list[Sentence]) -> str:
    found = Counter(
        m.currency for s in sentences for m in find_money(s.text) if m.explicit_currency
    )
    return found.most_common(1)[0][0] if found else "USD"


def find_amounts(sentences: list[Sentence]) -> list[Amount]:
    currency = default_currency(sentences)
    amounts: list[Amount] = []
    for sentence in sentences:
        if not customer_view(sentence) and not re.search(
            r"\b(?:price|quote|pricing|proposal|order form|offer|fee|list|accept)\b", sentence.lower
        ):
            continue
        if sentence.is_question:
            continue
        for money in find_money(sentence.text, currency):
            kind = next((k for pattern, k in AMOUNT_KIND if pattern.search(sentence.lower)), None)
            if kind is None:
                continue
            confidence = 0.8 if sentence.side is Side.CUSTOMER else 0.65
            if HEDGE.search(sentence.lower) or re.search(
                r"\b(?:rough|roughly|about|around|ballpark|ish)\b", sentence.lower
            ):
                confidence -= 0.1
            amounts.append(
                Amount(
                    value=money.value,
                    currency=money.currency,
                    kind=kind,
                    quote=sentence.text,
                    confidence=round(confidence, 2),
                )
            )
    return _rank_amounts(amounts)


def _rank_amounts(amounts: list[Amount]) -> list[Amount]:
    """An amount said several times is the one the talk settled on: raise its confidence."""
    counts = Counter((a.value, a.currency) for a in amounts)
    ranked = []
    for amount in amounts:
        boost = 0.05 * (counts[(amount.value, amount.currency)] - 1)
        ranked.append(
            amount.model_copy(update={"confidence": round(min(0.95, amount.confidence + boost), 2)})
        )
    return ranked


def find_close_dates(
    sentences: list[Sentence], reader: DateReader, occurred: date
) -> list[CloseDate]:
    dates: list[CloseDate] = []
    for sentence in sentences:
        if not customer_view(sentence) or sentence.is_question:
            continue
        lowered = sentence.lower
        contexts = [
            (m.start(), m.end(), w)
            for pattern, w in CLOSE_CONTEXT
            for m in pattern.finditer(lowered)
        ]
        if not contexts:
            continue
        for mention in reader.find(sentence.text):
            if (
                mention.date <= occurred
                or mention.precision == "day"
                and (mention.date - occurred).days < 10
            ):
                continue  # meetings next week are steps, not the deal's close
            near = [
                w
                for start, end, w in contexts
                if min(abs(mention.start - end), abs(start - mention.end)) <= MAX_CONTEXT_GAP
            ]
            if not near:
                continue
            confidence = (
                max(near)
                - (0.15 if HEDGE.search(lowered) else 0.0)
                - (0.05 if mention.precision == "year" else 0.0)
            )
            dates.append(
                CloseDate(
                    date=mention.date,
                    text=mention.text,
                    quote=sentence.text,
                    confidence=round(confidence, 2),
                )
            )
    return dates


def find_competitors(sentences: list[Sentence]) -> list[Competitor]:
    found: dict[str, Competitor] = {}
    for sentence in sentences:
        if sentence.signature:
            continue
        for name in {match.group(0) for match in COMPETITOR_PATTERN.finditer(sentence.text)}:
            lowered = sentence.lower
            stance = "mentioned"
            if re.search(
                rf"\b(?:went|gone|going|decided to go|chose|selected|picked|signed) (?:with )?{re.escape(name.lower())}",
                lowered,
            ):
                stance = "chosen"
            elif re.search(
                rf"\b(?:currently|already|today)\b.{{0,40}}{re.escape(name.lower())}|\b(?:we use|we're on|we are on|we run|we have|using) {re.escape(name.lower())}",
                lowered,
            ):
                stance = "incumbent"
            elif re.search(
                r"\b(?:looking at|evaluat\w+|talking to|comparing|trial\w*|pilot\w*|quoted|demo\w*|pitch\w*|proposal|shortlist\w*)\b",
                lowered,
            ):
                stance = "evaluating"
            confidence = 0.8 if customer_view(sentence) else 0.6
            current = found.get(name)
            if current is None or (current.stance == "mentioned" and stance != "mentioned"):
                found[name] = Competitor(
                    name=name, stance=stance, quote=sentence.text, confidence=confidence
                )
    return list(found.values())
