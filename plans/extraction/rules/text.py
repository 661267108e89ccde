"""Reading a conversation the way the rules need it: sentences, each with who said it.

Speaker-labelled turns are split into sentences. Plain text (email threads, meeting
notes) is read line by line: `From:` headers and `On ..., NAME wrote:` lines say who
wrote the lines that follow, `>` markers give the quoting depth, signatures are set
aside (they still tell titles), and what remains is split into sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plans.extraction.conversation import ConversationDocument, Participant
from plans.extraction.signals import Side
from plans.names import names_match

MAX_SENTENCE_CHARS = 400
# Where a run-on sentence pauses: before a conjunction or after a comma, semicolon or dash.
PAUSE = re.compile(r"[,;:]\s|\s[-\u2013\u2014]\s|\s(?=(?:and|but|so|because|which|then)\s)")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9$€£])")
HEADER = re.compile(r"^(from|to|cc|bcc|date|sent|subject)\s*:\s*(.*)$", re.IGNORECASE)
WROTE = re.compile(r"^on\s.*\bwrote:\s*$", re.IGNORECASE)
WROTE_WHO = re.compile(
    r"(?P<who>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})\s*(?:<[^>]+>)?\s*wrote:\s*$"
)
SIGN_OFF = re.compile(
    r"^(best|best regards|regards|kind regards|warm regards|thanks|thank you|many thanks|"
    r"cheers|talk soon|sincerely|all the best|thx|--|—|-- )[,!.]?\s*$",
    re.IGNORECASE,
)
NAME_IN_HEADER = re.compile(r"^\s*\"?(?P<name>[^<\"@]+?)\"?\s*(?:<(?P<email>[^>]+)>)?\s*$")
QUOTE_PREFIX = re.compile(r"^\s*((?:>\s?)+)")
BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


@dataclass(frozen=True)
class Sentence:
    text: str
    speaker: str | None
    side: Side
    index: int  # position in the conversation, for "nearby" rules
    signature: bool = False

    @property
    def is_question(self) -> bool:
        return self.text.rstrip().endswith("?")

    @property
    def lower(self) -> str:
        return self.text.lower()


@dataclass
class Reading:
    """The conversation as sentences, plus what headers and signatures told."""

    sentences: list[Sentence]
    participants: list[Participant]
    signature_lines: list[tuple[str | None, str]] = field(default_factory=list)
    header_people: list[tuple[str, str | None]] = field(default_factory=list)  # (name, email)

    def side_of(self, speaker: str | None) -> Side:
        return side_of(self.participants, speaker)


def side_of(participants: list[Participant], speaker: str | None) -> Side:
    if not speaker:
        return Side.UNKNOWN
    exact = [p for p in participants if p.name.casefold() == speaker.casefold()]
    if exact:
        return exact[0].side
    loose = [p for p in participants if names_match(speaker, p.name)]
    sides = {p.side for p in loose}
    return sides.pop() if len(sides) == 1 else Side.UNKNOWN


def split_sentences(text: str) -> list[str]:
    pieces: list[str] = []
    for line in re.split(r"\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)])\s)", text):
        line = BULLET.sub("", line).strip()
        if not line:
            continue
        for piece in SENTENCE_END.split(line):
            pieces.extend(_readable_pieces(piece.strip()))
    return pieces


def _readable_pieces(sentence: str) -> list[str]:
    """A sentence cut where it pauses (a comma, a dash, a conjunction, at worst a space)
    into pieces of at most MAX_SENTENCE_CHARS: speech-to-text can run on for pages
    without a full stop, and evidence must quote what a reader can check."""
    pieces = []
    rest = sentence
    while len(rest) > MAX_SENTENCE_CHARS:
        window = rest[: MAX_SENTENCE_CHARS + 1]
        pauses = [m.start() for m in PAUSE.finditer(window)]
        cut = max((p for p in pauses if p >= MAX_SENTENCE_CHARS // 2), default=-1)
        if cut < 0:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = MAX_SENTENCE_CHARS
        pieces.append(rest[:cut].strip(" ,;:-"))
        rest = rest[cut:].strip(" ,;:-")
    if rest:
        pieces.append(rest)
    return [piece for piece in pieces if piece]


def read(document: ConversationDocument) -> Reading:
    reading = Reading(sentences=[], participants=list(document.participants))
    for speaker, text in document.turns:
        if speaker is not None:
            for sentence in split_sentences(text):
                _add(reading, sentence, speaker)
        else:
            _read_plain_text(reading, text)
    return reading


def _add(reading: Reading, text: str, speaker: str | None, *, signature: bool = False) -> None:
    reading.sentences.append(
        Sentence(
            text=text,
            speaker=speaker,
            side=reading.side_of(speaker),
            index=len(reading.sentences),
            signature=signature,
        )
    )


def _read_plain_text(reading: Reading, text: str) -> None:
    authors: dict[int, str | None] = {0: None}
    paragraph: list[str] = []
    paragraph_author: str | None = None
    in_signature = False
    signature_budget = 0

    def flush() -> None:
        nonlocal paragraph
        if paragraph:
            for sentence in split_sentences(" ".join(paragraph)):
                _add(reading, sentence, paragraph_author)
        paragraph = []

    for raw in text.splitlines():
        prefix = QUOTE_PREFIX.match(raw)
        depth = prefix.group(1).count(">") if prefix else 0
        line = raw[prefix.end() :] if prefix else raw
        stripped = line.strip()
        author = authors.get(depth, authors.get(max(k for k in authors if k <= depth), None))
        if not stripped:
            flush()
            in_signature = in_signature and signature_budget > 0
            continue
        header = HEADER.match(stripped)
        if header:
            flush()
            kind, value = header.group(1).lower(), header.group(2)
            if kind in ("from", "to", "cc", "bcc"):
                reading.header_people.extend(_header_people(value))
            if kind == "from":
                people = _header_people(value)
                authors[depth] = people[0][0] if people else None
                authors = {k: v for k, v in authors.items() if k <= depth}
                in_signature = False
            continue
        if WROTE.match(stripped):
            flush()
            who = WROTE_WHO.search(stripped)
            authors[depth + 1] = _clean_who(who.group("who")) if who else None
            in_signature = False
            continue
        if SIGN_OFF.match(stripped):
            flush()
            in_signature, signature_budget = True, 5
            continue
        if in_signature and signature_budget > 0 and len(stripped) <= 120:
            signature_budget -= 1
            reading.signature_lines.append((author, stripped))
            continue
        in_signature = False
        if author != paragraph_author:
            flush()
            paragraph_author = author
        paragraph.append(stripped)
    flush()


NOT_NAME_WORDS = {
    "am",
    "pm",
    "on",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "utc",
    "gmt",
}


def _clean_who(who: str) -> str | None:
    words = who.split()
    while words and words[0].strip(".,").lower() in NOT_NAME_WORDS:
        words = words[1:]
    return " ".join(words) or None


def _header_people(value: str) -> list[tuple[str, str | None]]:
    people = []
    for part in re.split(r",|;", value):
        match = NAME_IN_HEADER.match(part)
        if not match:
            continue
        name = match.group("name").strip()
        email = match.group("email")
        if "@" in name:
            email, name = name, ""
        if name:
            people.append((name, email.strip().lower() if email else None))
    return people
