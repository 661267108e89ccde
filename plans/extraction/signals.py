"""The one typed output model of extraction, shared by every extractor and by agents that
send their own signals.

Every item carries the `quote` it came from (verbatim from the conversation) and a
`confidence` in [0, 1]. Nothing in here is ever executed or obeyed; it is data, checked by
`validate_against` before use.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Self

import annotated_types
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    model_validator,
)

Confidence = Annotated[float, Field(ge=0.0, le=1.0)]
Quote = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Private, so it is in neither the schema an extractor answers to nor any dump: no LLM
    # or agent produces it, and stored payloads and content hashes stay as they were.
    _id: uuid.UUID = PrivateAttr(default_factory=uuid.uuid4)

    quote: Quote = Field(description="Verbatim words from the conversation that show this.")
    confidence: Confidence = Field(description="How sure, 0 to 1.")
    pattern: Annotated[str, StringConstraints(max_length=100)] | None = Field(
        default=None,
        description="Which rule or model produced it (stable id, for per-pattern precision).",
    )

    @property
    def id(self) -> uuid.UUID:
        """This item's own id, given at construction and kept by its copies (`model_copy`,
        `copy.deepcopy`); the key from an item to the signal stored for it."""
        return self._id


class Side(StrEnum):
    CUSTOMER = "customer"
    OURS = "ours"
    UNKNOWN = "unknown"


class PersonMention(Item):
    name: Name
    title: Text | None = None
    email: Annotated[str, StringConstraints(max_length=320)] | None = None
    department: Text | None = None
    side: Side = Side.UNKNOWN


class RelationType(StrEnum):
    DEFERS_TO = "defers_to"  # source needs target's approval / runs things by target
    REPORTS_TO = "reports_to"
    INFLUENCES = "influences"
    BACKS = "backs"  # source supports the deal / us
    OPPOSES = "opposes"  # source is against the deal / us
    ALLIED_WITH = "allied_with"


class Relation(Item):
    """`source` <type> `target`. For BACKS/OPPOSES with no person target, target is None
    and the relation is about the deal itself."""

    source: Name
    type: RelationType
    target: Name | None = None
    detail: Text | None = Field(default=None, description='e.g. "signs off above $50k"')


class Element(StrEnum):
    """MEDDPICC and BANT elements."""

    METRICS = "metrics"
    ECONOMIC_BUYER = "economic_buyer"
    DECISION_CRITERIA = "decision_criteria"
    DECISION_PROCESS = "decision_process"
    PAPER_PROCESS = "paper_process"
    IDENTIFIED_PAIN = "identified_pain"
    CHAMPION = "champion"
    COMPETITION = "competition"
    BUDGET = "budget"
    AUTHORITY = "authority"
    NEED = "need"
    TIMELINE = "timeline"


MEDDIC_ELEMENTS = (
    Element.METRICS,
    Element.ECONOMIC_BUYER,
    Element.DECISION_CRITERIA,
    Element.DECISION_PROCESS,
    Element.PAPER_PROCESS,
    Element.IDENTIFIED_PAIN,
    Element.CHAMPION,
    Element.COMPETITION,
)
BANT_ELEMENTS = (Element.BUDGET, Element.AUTHORITY, Element.NEED, Element.TIMELINE)


class Polarity(StrEnum):
    SUPPORTS = "supports"  # evidence the element is in place ("budget is approved")
    CONTRADICTS = "contradicts"  # evidence against ("there is no budget this year")


class Qualification(Item):
    element: Element
    summary: Text
    polarity: Polarity = Polarity.SUPPORTS
    person: Name | None = Field(default=None, description="who, for economic buyer/champion")


class BuyingRole(StrEnum):
    """The seven buying roles (the political map's roles)."""

    ECONOMIC_BUYER = "economic_buyer"  # holds the money / signs
    DECISION_MAKER = "decision_maker"  # chooses the solution
    CHAMPION = "champion"  # sells for us internally
    BLOCKER = "blocker"  # argues against or would veto
    INFLUENCER = "influencer"  # shapes the decision without making it
    TECHNICAL_EVALUATOR = "technical_evaluator"  # tests or scores the product
    USER = "user"  # uses it day to day


class RoleSignal(Item):
    """`person` holds (or, contradicted, does not hold) a buying role."""

    person: Name
    role: BuyingRole
    polarity: Polarity = Polarity.SUPPORTS
    aspect: Text | None = Field(
        default=None, description='a part of the decision it is limited to, e.g. "security review"'
    )


# The interest at which a catalogue line counts as discussed (by the product rules, and by
# the extractor deciding whether a line was named at all).
LINE_INTEREST = 0.5


class ProductMention(Item):
    text: Text = Field(description="What was said, e.g. 'your pipelines product'")
    product_line: Annotated[str, StringConstraints(max_length=100)] | None = Field(
        default=None, description="Catalogue key, or null for a product not in the catalogue"
    )
    interest: Confidence = Field(default=0.5, description="How much buying interest, 0 to 1")


class AmountKind(StrEnum):
    DEAL_SIZE = "deal_size"  # what the deal costs: a quote, an offer, the total
    BUDGET = "budget"  # what the customer has to spend
    PRICE = "price"
    THRESHOLD = "threshold"  # an approval limit ("anything over $50k")


class Amount(Item):
    value: Annotated[Decimal, Field(ge=0, le=Decimal("1e12"), max_digits=16, decimal_places=2)]
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "USD"
    kind: AmountKind = AmountKind.DEAL_SIZE


class CloseDate(Item):
    date: date
    text: Text = Field(description="How it was said, e.g. 'by end of Q3'")


class DealPotential(Item):
    """How real the buying intent is, 0 to 1; `reasons` explain the number."""

    potential: Confidence
    reasons: list[Text] = Field(default_factory=list, max_length=20)


class NextStep(Item):
    action: Text
    owner: Name | None = None
    due: date | None = None


class Competitor(Item):
    name: Name
    stance: Annotated[str, StringConstraints(max_length=40)] = Field(
        default="mentioned", description="mentioned | evaluating | incumbent | chosen"
    )


class Sentiment(Item):
    score: Annotated[float, Field(ge=-1.0, le=1.0)]
    label: Annotated[str, StringConstraints(pattern=r"^(positive|neutral|negative)$")]


class CompanyFactKind(StrEnum):
    INDUSTRY = "industry"
    SIZE = "size"
    TECH_STACK = "tech_stack"
    STRATEGIC_INITIATIVE = "strategic_initiative"
    OTHER = "other"


class CompanyFact(Item):
    kind: CompanyFactKind
    value: Text


class TrustKind(StrEnum):
    SHARED_VULNERABILITY = "shared_vulnerability"
    REFERRAL = "referral"
    INTERNAL_INFORMATION = "internal_information"


class TrustIndicator(Item):
    kind: TrustKind
    person: Name | None = None


class OutcomeKind(StrEnum):
    WON = "won"  # signed, PO issued, contract executed
    LOST = "lost"  # chose a competitor, cancelled, no decision


class Outcome(Item):
    kind: OutcomeKind
    detail: Text | None = None


class Signals(BaseModel):
    """Everything extracted from one conversation."""

    model_config = ConfigDict(extra="forbid")

    people: list[PersonMention] = Field(default_factory=list, max_length=200)
    relations: list[Relation] = Field(default_factory=list, max_length=200)
    roles: list[RoleSignal] = Field(default_factory=list, max_length=200)
    qualification: list[Qualification] = Field(default_factory=list, max_length=200)
    products: list[ProductMention] = Field(default_factory=list, max_length=50)
    amounts: list[Amount] = Field(default_factory=list, max_length=50)
    close_dates: list[CloseDate] = Field(default_factory=list, max_length=50)
    deal: DealPotential | None = None
    next_steps: list[NextStep] = Field(default_factory=list, max_length=100)
    competitors: list[Competitor] = Field(default_factory=list, max_length=50)
    sentiment: Sentiment | None = None
    company_facts: list[CompanyFact] = Field(default_factory=list, max_length=100)
    trust: list[TrustIndicator] = Field(default_factory=list, max_length=50)
    outcomes: list[Outcome] = Field(default_factory=list, max_length=10)

    @model_validator(mode="after")
    def _no_duplicate_people(self) -> Self:
        seen: set[str] = set()
        for person in self.people:
            key = person.name.casefold()
            if key in seen:
                raise ValueError(f"person {person.name!r} is listed twice")
            seen.add(key)
        return self

    def items(self) -> list[Item]:
        """Every evidence-carrying item, in a stable order."""
        found: list[Item] = []
        for field_name in type(self).model_fields:
            value = getattr(self, field_name)
            if isinstance(value, Item):
                found.append(value)
            elif isinstance(value, list):
                found.extend(v for v in value if isinstance(v, Item))
        return found


_SPACE = re.compile(r"\s+")
_EMAIL_QUOTE_MARKERS = re.compile(r"(^|\n)[ \t]*(?:>[ \t]?)+")
_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2014": "-", "\u2013": "-"}
)


def normalise_for_quote(text: str) -> str:
    """Comparable form: typographic quotes plain, email quote markers (`> `) at line
    starts removed, whitespace collapsed, case folded."""
    unquoted = _EMAIL_QUOTE_MARKERS.sub(r"\1", text.translate(_QUOTES))
    return _SPACE.sub(" ", unquoted).strip().casefold()


class QuoteNotFound(ValueError):
    pass


def validate_against(signals: Signals, conversation_text: str) -> None:
    """Raise `QuoteNotFound` unless every quote appears in the conversation (whitespace,
    case and typographic quotes aside). Evidence must be real words that were said."""
    haystack = normalise_for_quote(conversation_text)
    for item in signals.items():
        if normalise_for_quote(item.quote) not in haystack:
            raise QuoteNotFound(
                f"{type(item).__name__} quote not found in the conversation: {item.quote[:80]!r}"
            )


def most_confident_within_limits(**fields: Any) -> Signals:
    """Signals from `fields`, each list cut to what a record holds by keeping its most
    confident items in their order: a long call says more than one record can keep, and
    what was said must still be read rather than refused."""
    bounded = {}
    for name, value in fields.items():
        limit = _list_limit(name)
        if isinstance(value, list) and limit is not None and len(value) > limit:
            surest = sorted(range(len(value)), key=lambda i: -value[i].confidence)[:limit]
            value = [value[i] for i in sorted(surest)]
        bounded[name] = value
    return Signals(**bounded)


def _list_limit(name: str) -> int | None:
    metadata = Signals.model_fields[name].metadata
    return next((m.max_length for m in metadata if isinstance(m, annotated_types.MaxLen)), None)
