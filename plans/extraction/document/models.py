"""The conversation as every extraction step reads it, built once: sentences with their
speaker and addressee, each cut into clauses that carry their own modality (negated,
hedged, conditional, question, wish, plan, completed) and the people they mention,
resolved to the conversation's people.

A clause's `frame` is its text in lower case with every resolved person written as a slot
(`§3`, possessive `§3's`): "I run data engineering under Dana" said by Ingrid reads
`§1 run data engineering under §2`. Patterns are written over frames, so one pattern
covers a name, a nickname, a title that names one person, "I"/"me"/"my" and a pronoun
that resolves to exactly one person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from plans.extraction.signals import Side

SLOT = re.compile(r"§(\d+)")


class MentionKind(StrEnum):
    NAME = "name"  # a full name, first name, nickname or initials
    FIRST_PERSON = "first_person"  # I, me, my, mine, myself: the speaker
    SECOND_PERSON = "second_person"  # you, your: the addressee, when one person
    PRONOUN = "pronoun"  # he, she, him, her, his, hers: one person who fits, or nobody
    TITLE = "title"  # "our CFO", "the head of procurement": the one person with that title


@dataclass(frozen=True)
class Mention:
    start: int  # offsets in the clause text
    end: int
    kind: MentionKind
    person: str | None  # the resolved person's name, or None when nobody (or several) fit
    possessive: bool = False


@dataclass(frozen=True)
class Clause:
    text: str
    frame: str
    mentions: tuple[Mention, ...]
    negated: bool = False
    hedged: bool = False
    conditional: bool = False
    question: bool = False
    wish: bool = False  # want, hope, would like
    plan: bool = False  # will, going to, need to, should, by a date
    completed: bool = False  # a past or perfect event stated as fact

    @property
    def factual(self) -> bool:
        """Stated as a fact: no negation, condition, question, wish or plan."""
        return not (self.negated or self.conditional or self.question or self.wish or self.plan)

    @property
    def asserted(self) -> bool:
        """Said as true of the present or past (it may be a plan about the speaker's own
        intent): neither negated, conditional nor asked."""
        return not (self.negated or self.conditional or self.question)

    def people(self) -> list[str]:
        return [m.person for m in self.mentions if m.person is not None]


@dataclass(frozen=True)
class Sentence:
    index: int
    text: str
    speaker: str | None  # the resolved person who said or wrote it
    side: Side
    addressee: str | None
    clauses: tuple[Clause, ...]
    signature: bool = False

    @property
    def is_question(self) -> bool:
        return any(clause.question for clause in self.clauses)

    @property
    def lower(self) -> str:
        return self.text.lower()


@dataclass
class Document:
    """Sentences plus the slot numbering of the conversation's people."""

    sentences: list[Sentence]
    names: list[str] = field(default_factory=list)  # slot k is names[k]

    def person(self, slot: str) -> str | None:
        """The name behind a slot token such as `§3`."""
        match = SLOT.fullmatch(slot.removesuffix("'s"))
        if match is None:
            return None
        index = int(match.group(1))
        return self.names[index] if index < len(self.names) else None
