"""Build the document once per conversation: sentences (from the reading of turns, email
headers, quoting and signatures), each sentence's speaker and addressee, its clauses with
their mood, and every mention resolved."""

from __future__ import annotations

import re

from plans.extraction.document.mentions import Resolver
from plans.extraction.document.modality import cut_clauses, moods
from plans.extraction.document.models import Clause, Document, Mention, Sentence
from plans.extraction.rules.people import People
from plans.extraction.rules.text import Reading
from plans.extraction.rules.text import Sentence as ReadSentence
from plans.extraction.signals import Side

VOCATIVE_START = re.compile(
    r"^\s*(?:(?:so|ok(?:ay)?|right|and|hey|hi|thanks),?\s+)?(?P<name>[A-Z][\w.'’-]*(?:\s+[A-Z][\w'’-]+)?),\s"
)
VOCATIVE_END = re.compile(r",\s+(?P<name>[A-Z][\w.'’-]*(?:\s+[A-Z][\w'’-]+)?)\s*[?.!]*\s*$")


def build_document(reading: Reading, people: People) -> Document:
    names = list(people.by_name)
    slots = {name: index for index, name in enumerate(names)}
    customers = {p.name for p in people.by_name.values() if p.side is Side.CUSTOMER}
    resolver = Resolver.of(people, customers)
    sentences: list[Sentence] = []
    previous_speakers: list[str] = []
    for read in reading.sentences:
        speaker = _person(people, read.speaker)
        addressee = _addressee(read, people, speaker, previous_speakers)
        mentions = resolver.resolve(read.text, speaker, addressee)
        sentences.append(
            Sentence(
                index=read.index,
                text=read.text,
                speaker=speaker,
                side=read.side,
                addressee=addressee,
                clauses=_clauses(read.text, mentions, slots),
                signature=read.signature,
            )
        )
        if speaker is not None and (not previous_speakers or previous_speakers[-1] != speaker):
            previous_speakers.append(speaker)
    return Document(sentences=sentences, names=names)


def _person(people: People, said: str | None) -> str | None:
    if not said:
        return None
    person = people.find(said)
    return person.name if person else None


def _addressee(
    read: ReadSentence, people: People, speaker: str | None, previous: list[str]
) -> str | None:
    """Who the sentence is said to: a name called out at its start or end, else the last
    other person who spoke."""
    for pattern in (VOCATIVE_START, VOCATIVE_END):
        match = pattern.search(read.text)
        if match:
            person = people.find(match.group("name"))
            if person is not None and person.name != speaker:
                return person.name
    for name in reversed(previous):
        if name != speaker:
            return name
    return None


def _clauses(text: str, mentions: tuple[Mention, ...], slots: dict[str, int]) -> tuple[Clause, ...]:
    return clauses_of(text, mentions, slots)


def clauses_of(
    text: str, mentions: tuple[Mention, ...] = (), slots: dict[str, int] | None = None
) -> tuple[Clause, ...]:
    """The sentence's clauses with their mood, mentions and frames (no mentions: plain
    lower-cased frames, as training reads labelled sentences)."""
    pieces = cut_clauses(text)
    found = []
    for (offset, piece), mood in zip(pieces, moods(text, [p for _, p in pieces]), strict=True):
        inside = tuple(
            Mention(m.start - offset, m.end - offset, m.kind, m.person, m.possessive)
            for m in mentions
            if offset <= m.start and m.end <= offset + len(piece)
        )
        found.append(
            Clause(
                text=piece.strip(),
                frame=frame_of(piece, inside, slots or {}),
                mentions=inside,
                negated=mood.negated,
                hedged=mood.hedged,
                conditional=mood.conditional,
                question=mood.question,
                wish=mood.wish,
                plan=mood.plan,
                completed=mood.completed,
            )
        )
    return tuple(found)


def _said(text: str) -> str:
    return text.lower().replace("§", " section ")


def frame_of(text: str, mentions: tuple[Mention, ...], slots: dict[str, int]) -> str:
    """Lower-cased text with each resolved person as a slot (see models). A "§" the
    conversation itself holds ("under §3 of the MSA") is written out, so only resolved
    people are ever slots."""
    parts: list[str] = []
    position = 0
    for mention in mentions:
        parts.append(_said(text[position : mention.start]))
        if mention.person is not None and mention.person in slots:
            parts.append(f"§{slots[mention.person]}" + ("'s" if mention.possessive else ""))
        else:
            parts.append(_said(text[mention.start : mention.end]))
        position = mention.end
    parts.append(_said(text[position:]))
    framed = "".join(parts).replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", framed).strip()
