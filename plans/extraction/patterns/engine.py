"""Patterns over clause frames, and how a clause's mood gates them.

A pattern is written over a frame (see `document.models`): `{A}` and `{B}` stand for a
person slot, `{A's}` for its possessive, and a slot may be followed by an apposition
("§2, our cfo, signs off"). Each pattern has a stable id, stored with the evidence it
produced, so its precision can be measured.

Mood: by default a pattern counts only in a clause that asserts it (not negated, not
conditional, not a question). `negated="deny"` turns a negated match into evidence against
(the budget is *not* mine); `negated="keep"` is for patterns whose words carry the
negation themselves ("not convinced"); `plans=False` refuses plans and wishes too. A
hedge lowers the confidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from plans.extraction.document.models import Clause, Document, Sentence

SLOT = r"(?P<{name}>§\d+)"
APPOSITION = r"(?:,\s+(?:who is\s+|who's\s+)?(?:our|the|their|my|his|her|your)\s+[^,;]{2,50},)?"
# "§2'm backing §1", "§0'll need": a slot may carry its verb's contraction.
CONTRACTION = r"(?:'s|'m|'re|'ve|'ll|'d)?"
HEDGE_COST = 0.15
WISH_COST = 0.1


@dataclass(frozen=True)
class Pattern:
    id: str
    source: str
    confidence: float
    negated: Literal["skip", "deny", "keep"] = "skip"
    plans: bool = True  # may match in a clause that states a plan or a wish
    compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)
    needs_person: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", re.compile(expand(self.source)))
        # A pattern with a person slot cannot match a clause that names nobody.
        object.__setattr__(self, "needs_person", any(f"{{{name}" in self.source for name in "ABC"))


def expand(source: str) -> str:
    text = source
    for name in "ABC":
        text = text.replace(f"{{{name}'s}}", SLOT.format(name=name) + "'s")
        text = text.replace(
            f"{{{name}}} ", SLOT.format(name=name) + CONTRACTION + APPOSITION + r"\s*"
        )
        text = text.replace(f"{{{name}}}", SLOT.format(name=name) + r"(?!'s)")
    return text


@dataclass(frozen=True)
class Hit:
    pattern: Pattern
    sentence: Sentence
    clause: Clause
    slots: dict[str, str]  # slot name -> person name
    denied: bool
    confidence: float


def find(document: Document, patterns: tuple[Pattern, ...]) -> Iterator[Hit]:
    """Every match of every pattern in the document's clauses that the clause's mood
    allows, with its persons resolved and its confidence adjusted."""
    for sentence in document.sentences:
        if sentence.signature:
            continue
        for clause in sentence.clauses:
            if clause.question or clause.conditional:
                continue
            names_someone = "§" in clause.frame
            for pattern in patterns:
                if pattern.needs_person and not names_someone:
                    continue
                if clause.negated and pattern.negated == "skip":
                    continue
                if not pattern.plans and (clause.plan or clause.wish):
                    continue
                for match in pattern.compiled.finditer(clause.frame):
                    slots = {
                        name: person
                        for name, value in match.groupdict().items()
                        if value is not None and (person := document.person(value)) is not None
                    }
                    confidence = pattern.confidence
                    confidence -= HEDGE_COST if clause.hedged else 0.0
                    confidence -= WISH_COST if clause.wish else 0.0
                    yield Hit(
                        pattern,
                        sentence,
                        clause,
                        slots,
                        denied=clause.negated and pattern.negated == "deny",
                        confidence=round(max(confidence, 0.05), 2),
                    )
