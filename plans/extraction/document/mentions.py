"""Who each word that points at a person points at.

- I, me, my, mine, myself: the speaker (when the speaker is known).
- you, your: the addressee, when the addressee is one customer person; "you" said to our
  own people is the vendor, and stays a plain word.
- he, she, him, her, his, hers: the one person who fits among those named in this sentence
  before the pronoun, else in the two sentences before; a first name's usual gender
  narrows the candidates; when more than one (or nobody) fits, nothing.
- a title said as a reference ("our CFO", "the head of procurement"): the one person of
  the conversation whose title says that.
- names, first names, nicknames and initials: through the conversation's people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import gender_guesser.detector as gender_detector

from plans.extraction.document.models import Mention, MentionKind
from plans.extraction.rules.lexicon import FIRST_NAMES, NOT_NAMES

# Lower-case "i" too: chat writes it that way. "mine" is left out (a mine is also a place).
FIRST_PERSON = re.compile(r"\b(?:i(?!\.e\.)|me|my|myself)\b", re.IGNORECASE)
# "mine" only where it is the speaker's ("the budget isn't mine"), not a mine.
MINE = re.compile(r"\b(?:is|'s|’s|was|isn't|wasn't|not|be|are)\s+(?P<mine>mine)\b", re.IGNORECASE)
SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself)\b", re.IGNORECASE)
PRONOUN = re.compile(r"\b(?:he|she|him|her|his|hers|himself|herself)\b", re.IGNORECASE)
MALE, FEMALE = "male", "female"
PRONOUN_GENDER = {
    "he": MALE,
    "him": MALE,
    "his": MALE,
    "himself": MALE,
    "she": FEMALE,
    "her": FEMALE,
    "hers": FEMALE,
    "herself": FEMALE,
}
# "her" before one of these is the object ("listen to her on that"), not a possessive.
NOT_OWNED = re.compile(
    r"^\s*(?:[,.;:!?)\]]|$|on|about|to|for|with|and|or|but|in|at|if|that|this|the|a|an|"
    r"too|as|know|again|back|up|out|over|off|yesterday|today|tomorrow|directly|first|"
    r"last|now|later|before|after|because|so|since|when|though|either|anyway|already)",
    re.IGNORECASE,
)
TITLE_REFERENCE = re.compile(
    r"\b(?:our|the|their|my|your)\s+(?P<title>c[efiotmrp]o|ciso|cdo|cdao|vp(?: of)? [a-z]+|"
    r"head of [a-z]+(?: [a-z]+)?|general counsel|(?:finance|it|procurement|security|ops|"
    r"operations|engineering|data|legal) (?:director|lead|manager|head|boss)|"
    r"director of [a-z]+(?: [a-z]+)?|chief [a-z]+ officer|managing director|president|"
    r"controller|treasurer|gm|general manager)\b",
    re.IGNORECASE,
)
ABBREVIATIONS = {
    "ceo": "chief executive",
    "cfo": "chief financial",
    "coo": "chief operating",
    "cio": "chief information officer",
    "cto": "chief technology",
    "cmo": "chief marketing",
    "cro": "chief revenue",
    "cpo": "chief product",
    "ciso": "chief information security",
    "cdo": "chief data",
    "cdao": "chief data",
    "gm": "general manager",
}


@lru_cache(maxsize=1)
def _detector() -> gender_detector.Detector:
    return gender_detector.Detector(case_sensitive=False)


# Capitalised words that are given names somewhere but far more often something else in a
# business conversation.
NOT_GIVEN_NAMES = frozenset(
    """
    the and for but not you all any can her was one our out day get has him his how man new
    now old see two way who boy did its let put say she too use dad mom son sir lord king
    queen prince duke bank city town hall park lake river hill north south east west
    central general major chief judge doctor nurse pilot china india france paris london
    berlin austin dallas houston denver phoenix boston york jersey sydney melbourne perth
    victoria florence chelsea jordan troy sydney brooklyn dakota carolina georgia virginia
    kent essex cork dublin monday friday sunday january june july august april march may
    summer winter autumn spring christmas easter cloud azure oracle apple amazon google
    cisco dell teams slack zoom excel word power data sales ops finance legal ceo cfo cto
    cio coo hr it vp hi hey yes no ok okay thanks cheers best regards dear team happy great
    good sure right well so also just one unit board group phase pilot
    """.split()
)


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    return frozenset(_detector().names)


@lru_cache(maxsize=16384)
def is_given_name(word: str) -> bool:
    """A capitalised word that is a given name: in the curated list, or among the tens of
    thousands of first names the gender lexicon knows (names of many countries), unless it
    is far more often an ordinary word here."""
    lowered = word.lower()
    if lowered in FIRST_NAMES:
        return True
    if lowered in NOT_NAMES or lowered in NOT_GIVEN_NAMES or len(lowered) < 3:
        return False
    return word[:1].isupper() and lowered in _given_names()


@lru_cache(maxsize=8192)
def usual_gender(name: str) -> str | None:
    first = name.split()[0] if name.split() else ""
    guess = str(_detector().get_gender(first))
    if guess in ("male", "mostly_male"):
        return MALE
    if guess in ("female", "mostly_female"):
        return FEMALE
    return None


if TYPE_CHECKING:
    from plans.extraction.rules.people import People


@dataclass
class Resolver:
    """Resolves the mentions of one conversation, sentence by sentence, remembering who was
    named recently for the pronouns."""

    people: People
    names_pattern: re.Pattern[str]
    customers: set[str]
    recent: list[list[str]] = field(default_factory=list)  # third persons, per sentence

    @classmethod
    def of(cls, people: People, customers: set[str]) -> Resolver:
        pattern = re.compile(rf"\b(?:{people.pattern()})\b(?:['’]s\b)?")
        return cls(people, pattern, customers)

    def resolve(self, text: str, speaker: str | None, addressee: str | None) -> tuple[Mention, ...]:
        """Every person-pointing word of `text`, left to right, without overlaps."""
        found: list[Mention] = []
        for match in self.names_pattern.finditer(text):
            said = re.sub(r"['’]s$", "", match.group(0))
            person = self.people.find(said)
            possessive = match.group(0) != said
            found.append(
                Mention(
                    match.start(),
                    match.end(),
                    MentionKind.NAME,
                    person.name if person else None,
                    possessive,
                )
            )
        for match in TITLE_REFERENCE.finditer(text):
            found.append(
                Mention(
                    match.start(),
                    match.end(),
                    MentionKind.TITLE,
                    self._titled(match.group("title")),
                )
            )
        if speaker is not None:
            for match in FIRST_PERSON.finditer(text):
                possessive = match.group(0).lower() == "my"
                found.append(
                    Mention(
                        match.start(), match.end(), MentionKind.FIRST_PERSON, speaker, possessive
                    )
                )
            for match in MINE.finditer(text):
                found.append(
                    Mention(
                        match.start("mine"),
                        match.end("mine"),
                        MentionKind.FIRST_PERSON,
                        speaker,
                        possessive=True,
                    )
                )
        if addressee is not None and addressee in self.customers:
            for match in SECOND_PERSON.finditer(text):
                possessive = match.group(0).lower() in ("your", "yours")
                found.append(
                    Mention(
                        match.start(), match.end(), MentionKind.SECOND_PERSON, addressee, possessive
                    )
                )
        found = _without_appositions(text, _without_overlaps(found))
        found += self._pronouns(text, found, speaker, addressee)
        found.sort(key=lambda m: m.start)
        third = [
            m.person
            for m in found
            if m.person is not None
            and m.kind in (MentionKind.NAME, MentionKind.TITLE, MentionKind.PRONOUN)
            and m.person != speaker
        ]
        self.recent = (self.recent + [third])[-3:]
        return tuple(found)

    def _titled(self, title: str) -> str | None:
        wanted = title.lower()
        wanted = ABBREVIATIONS.get(wanted, wanted)
        holders = [
            person.name
            for person in self.people.by_name.values()
            if person.title and _title_says(person.title.lower(), wanted)
        ]
        return holders[0] if len(holders) == 1 else None

    def _pronouns(
        self, text: str, named: list[Mention], speaker: str | None, addressee: str | None
    ) -> list[Mention]:
        found = []
        for match in PRONOUN.finditer(text):
            if any(m.start <= match.start() < m.end for m in named):
                continue
            word = match.group(0).lower()
            possessive = word in ("his", "hers") or (
                word == "her" and not NOT_OWNED.match(text[match.end() :])
            )
            objective = word in ("him", "himself", "herself") or (word == "her" and not possessive)
            before_here = [
                m.person
                for m in named
                if m.start < match.start()
                and m.person
                and m.kind is not MentionKind.FIRST_PERSON
                # "Henrik listens to him": an object pronoun is not its own clause's subject
                and not (objective and _same_clause(text, m.end, match.start()))
            ]
            person = self._antecedent(before_here, PRONOUN_GENDER[word], speaker, addressee)
            found.append(
                Mention(match.start(), match.end(), MentionKind.PRONOUN, person, possessive)
            )
        return found

    def _antecedent(
        self, here: list[str], gender: str, speaker: str | None, addressee: str | None
    ) -> str | None:
        for pool in [here, *reversed(self.recent[-2:])]:
            candidates = {
                name
                for name in pool
                if name not in (speaker, addressee) and usual_gender(name) in (gender, None)
            }
            if len(candidates) == 1:
                return candidates.pop()
            if candidates:
                return None  # several fit: nobody
        return None


CLAUSE_BREAK = re.compile(r"[,;:.!?]|\b(?:and|but|because|so|while|whereas|who|which|that)\b")


def _same_clause(text: str, start: int, end: int) -> bool:
    return not CLAUSE_BREAK.search(text[start:end])


def _title_says(title: str, wanted: str) -> bool:
    if wanted in title:
        return True
    expanded = " ".join(ABBREVIATIONS.get(word, word) for word in re.findall(r"[a-z]+", title))
    return wanted in expanded


def _without_appositions(text: str, mentions: list[Mention]) -> list[Mention]:
    """ "Sarah Chen, our CFO, signs": the title is the name's apposition, not a second
    mention of her (patterns read the apposition as part of the name)."""
    kept: list[Mention] = []
    for mention in mentions:
        previous = kept[-1] if kept else None
        if (
            previous is not None
            and mention.kind is MentionKind.TITLE
            and previous.kind is MentionKind.NAME
            and text[previous.end : mention.start].strip() in (",", "(", "-", "–")
        ):
            continue
        kept.append(mention)
    return kept


def _without_overlaps(mentions: list[Mention]) -> list[Mention]:
    kept: list[Mention] = []
    for mention in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept
