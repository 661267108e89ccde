"""Who is in the conversation: participants, people named in it, their titles and sides."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plans.extraction.document.mentions import is_given_name
from plans.extraction.rules.lexicon import NOT_NAMES, TITLE_WORDS
from plans.extraction.rules.text import Reading, Sentence
from plans.extraction.signals import PersonMention, Side
from plans.names import NICKNAMES_OF, name_tokens, names_match

CAP = r"[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?"
# In a lookahead, so overlapping candidates are all seen ("Without Sarah Chen" must not
# swallow "Sarah").
FULL_NAME = re.compile(
    rf"(?=\b({CAP})(?:\s+([A-Z])\.?)?\s+((?:O['’]|Mc|Mac|De|Van|Di|Le)?{CAP})\b)"
)
SINGLE_NAME = re.compile(rf"\b({CAP})\b")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# Words that are given names but mostly something else when alone.
AMBIGUOUS_FIRST = frozenset(
    "will may mark bill frank grace rose drew june jan sue don pat joy dawn chase art max "
    "min per rob sally hope faith summer april august lee long young king page penny ray "
    "norman miles hana mina nancy ruby guy".split()
)
TITLE = re.compile(TITLE_WORDS, re.IGNORECASE)
DEPARTMENTS = (
    "finance",
    "legal",
    "procurement",
    "purchasing",
    "security",
    "it",
    "engineering",
    "data engineering",
    "operations",
    "ops",
    "marketing",
    "sales",
    "support",
    "customer support",
    "customer success",
    "hr",
    "people",
    "compliance",
    "risk",
    "product",
    "analytics",
    "data",
    "infosec",
    "information security",
    "revenue cycle",
    "accounting",
)


@dataclass
class Person:
    name: str
    title: str | None = None
    email: str | None = None
    department: str | None = None
    side: Side = Side.UNKNOWN
    quote: str | None = None
    confidence: float = 0.6
    mentioned_by: set[Side] = field(default_factory=set)
    possessive: bool = False  # introduced as "our X" / "my X" by a customer


@dataclass
class People:
    """The people of one conversation, by canonical name."""

    by_name: dict[str, Person] = field(default_factory=dict)

    def find(self, mention: str) -> Person | None:
        if mention in self.by_name:
            return self.by_name[mention]
        matches = [p for p in self.by_name.values() if names_match(mention, p.name)]
        return matches[0] if len(matches) == 1 else None

    def pattern(self) -> str:
        """A regex alternative of every way these people are named (longest first)."""
        forms: set[str] = set()
        for person in self.by_name.values():
            forms.add(person.name)
            tokens = person.name.split()
            if len(tokens) > 1 and tokens[0].lower() not in AMBIGUOUS_FIRST:
                forms.add(tokens[0])
            if len(tokens) > 1:
                for nickname in NICKNAMES_OF.get(tokens[0].lower(), set()):
                    if nickname not in AMBIGUOUS_FIRST:
                        forms.add(nickname.capitalize())
        if not forms:
            return r"(?!x)x"
        return "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))


def find_people(reading: Reading, account_name: str, account_domain: str | None) -> People:
    people = People()
    ours_domains = {
        p.email.split("@")[1] for p in reading.participants if p.email and p.side is Side.OURS
    }
    account_words = {w.lower() for w in re.findall(r"\w+", account_name)}

    def add(name: str, **values: object) -> Person:
        existing = people.find(name)
        if existing is None or (
            len(name.split()) > len(existing.name.split()) and names_match(name, existing.name)
        ):
            person = Person(name=name)
            if existing is not None:  # a fuller name for someone first met by first name
                del people.by_name[existing.name]
                person.__dict__.update({k: v for k, v in existing.__dict__.items() if k != "name"})
            people.by_name[name] = person
            existing = person
        for key, value in values.items():
            if value is not None and getattr(existing, key) in (None, Side.UNKNOWN, set()):
                setattr(existing, key, value)
        return existing

    for participant in reading.participants:
        spoken = next((s for s in reading.sentences if s.speaker == participant.name), None)
        add(
            participant.name,
            title=participant.title,
            email=participant.email,
            side=participant.side,
            confidence=0.95,
            quote=f"{participant.name}: {spoken.text}" if spoken else None,
        )
    for name, email in reading.header_people:
        if _looks_like_name(name):
            add(name, email=email, quote=name, confidence=0.9)

    for author, line in reading.signature_lines:
        _signature_title(people, author, line)

    for sentence in reading.sentences:
        _names_in(people, sentence, add, account_words)

    for person in people.by_name.values():
        person.side = _side(person, account_domain, ours_domains)
    return people


def _looks_like_name(name: str) -> bool:
    tokens = name.split()
    return 1 <= len(tokens) <= 4 and all(t[:1].isupper() for t in tokens)


def _names_in(people: People, sentence: Sentence, add: object, account_words: set[str]) -> None:
    text = sentence.text
    taken: list[tuple[int, int]] = []
    for match in FULL_NAME.finditer(text):
        first, _initial, last = match.group(1), match.group(2), match.group(3)
        if not is_given_name(first) or last.lower() in NOT_NAMES:
            continue
        if last.lower() in account_words or first.lower() in NOT_NAMES or first == last:
            continue
        start, end = match.start(1), match.end(3)
        if any(low <= start < high for low, high in taken):
            continue
        name = f"{first} {last}"
        person = add(name, quote=text, confidence=0.8)  # type: ignore[operator]
        _describe(person, text, start, end, sentence)
        taken.append((start, end))
    for match in SINGLE_NAME.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        token = match.group(1)
        lowered = token.lower()
        known = people.find(token)
        if known is None:
            if not is_given_name(token) or lowered in AMBIGUOUS_FIRST:
                continue
            if lowered in account_words:
                continue
            if match.start() == 0 and not _followed_by_verb(text, match.end()):
                continue
            if re.search(
                r"\b(?:in|from|to|at|near|around|out of|based in)\s+$", text[: match.start()]
            ):
                continue  # "she's in Austin": a place
        person = known or add(token, quote=text, confidence=0.6)  # type: ignore[operator]
        if person.quote is None:
            person.quote = text
        _describe(person, text, match.start(), match.end(), sentence)
    for email in EMAIL.findall(text):
        local = re.split(r"[._-]", email.split("@")[0])
        if len(local) >= 2:
            person = people.find(" ".join(part.capitalize() for part in local[:2]))
            if person is not None and person.email is None:
                person.email = email.lower()


def _followed_by_verb(text: str, end: int) -> bool:
    rest = text[end : end + 30].lower()
    return bool(
        re.match(
            r"\s*(?:'s|’s|,|is|was|has|had|will|would|said|says|signs|signed|"
            r"wants|thinks|knows|runs|owns|leads|heads|approves|reports|asked|"
            r"mentioned|told|can|could|should|needs|and)\b",
            rest,
        )
    )


def _describe(person: Person, text: str, start: int, end: int, sentence: Sentence) -> None:
    """Titles and departments said right next to a name."""
    person.mentioned_by.add(sentence.side)
    after = text[end : end + 80]
    before = text[max(0, start - 60) : start]
    title = None
    match = re.match(
        rf",\s+(?:(?:who\s+is|is)\s+)?(?:our|the|their|my|his|her)?\s*({TITLE_WORDS})\b",
        after,
        re.IGNORECASE,
    )
    if match:
        title = match.group(1)
    if title is None:  # "Donna Reyes, she's the VP of Claims"
        match = re.match(
            rf",\s+(?:he|she|they)(?:'s|’s|\s+is|\s+was|'re|\s+are)\s+(?:the\s+|our\s+|my\s+|their\s+)?({TITLE_WORDS})\b",
            after,
            re.IGNORECASE,
        )
        title = match.group(1) if match else None
    if title is None:
        match = re.match(rf"\s*\((?:our\s+|the\s+)?({TITLE_WORDS})\)", after, re.IGNORECASE)
        title = match.group(1) if match else None
    if title is None:
        match = re.match(
            rf"(?:\s+is|\s+was|['’]s)\s+(?:our|the|their)\s+({TITLE_WORDS})\b", after, re.IGNORECASE
        )
        title = match.group(1) if match else None
    if title is None:
        match = re.search(
            rf"\b(?:our|the|my|their)\s+({TITLE_WORDS}),?\s+(?:is\s+|was\s+)?$",
            before,
            re.IGNORECASE,
        )
        title = match.group(1) if match else None
    if title and person.title is None and len(title) <= 80:
        person.title = _tidy_title(title)
    if (
        re.search(r"\b(?:our|my)\s+[\w ,]*$", before, re.IGNORECASE)
        and sentence.side is Side.CUSTOMER
    ):
        person.possessive = True
    match = re.match(
        r"\s+(?:from|in|on|over in|who runs|who heads|who leads|runs|heads|leads)\s+(?:the\s+|our\s+)?("
        + "|".join(re.escape(d) for d in sorted(DEPARTMENTS, key=len, reverse=True))
        + r")\b",
        after,
        re.IGNORECASE,
    )
    if match and person.department is None:
        person.department = match.group(1).lower()


FRAME_TITLE = re.compile(
    rf"§(?P<slot>\d+)(?:'s|\s+is|\s+was)\s+(?:the|our|my|their|his|her)\s+(?P<title>{TITLE_WORDS})\b",
    re.IGNORECASE,
)


def titles_from_frames(frames: list[str], names: list[str], people: People) -> None:
    """Titles said of someone through a pronoun or "I" ("She's my controller", "I'm the
    head of data"), read once mentions are resolved; a title already known stays."""
    for frame in frames:
        for match in FRAME_TITLE.finditer(frame):
            index = int(match.group("slot"))
            person = people.by_name.get(names[index]) if index < len(names) else None
            if person is not None and person.title is None and len(match.group("title")) <= 80:
                person.title = _tidy_title(match.group("title"))


def _tidy_title(title: str) -> str:
    title = re.sub(r"\s+", " ", title.strip(" ,."))
    return title[0].upper() + title[1:] if title[:1].islower() and not title.isupper() else title


def _signature_title(people: People, author: str | None, line: str) -> None:
    if author is None:
        return
    person = people.find(author)
    if person is None or person.title is not None:
        return
    first_part = re.split(r"\s*[|,]\s*", line)
    for part in first_part:
        if TITLE.fullmatch(part.strip()) or TITLE.match(part.strip()):
            if name_tokens(part) != name_tokens(person.name):
                person.title = part.strip()
                return


def _side(person: Person, account_domain: str | None, ours_domains: set[str]) -> Side:
    if person.side is not Side.UNKNOWN:
        return person.side
    if person.email:
        domain = person.email.split("@")[1]
        if account_domain and (domain == account_domain or domain.endswith("." + account_domain)):
            return Side.CUSTOMER
        if domain in ours_domains:
            return Side.OURS
        return Side.UNKNOWN
    if person.title and re.search(r",\s*[A-Z][\w&]+(?:\s+[A-Z][\w&]+)*\s*$", person.title):
        return Side.UNKNOWN  # "Director of Analytics, Mercy General": another organisation
    if Side.CUSTOMER in person.mentioned_by or person.possessive:
        return Side.CUSTOMER
    return Side.UNKNOWN


def mentions(people: People, conversation_text: str) -> list[PersonMention]:
    lowered = conversation_text.casefold()
    found = []
    for person in people.by_name.values():
        quote = person.quote or person.name
        if quote.casefold() not in lowered and person.name.casefold() not in lowered:
            continue
        if quote.casefold() not in lowered:
            quote = person.name
        found.append(
            PersonMention(
                name=person.name,
                title=person.title,
                email=person.email,
                department=person.department,
                side=person.side,
                quote=quote[:1000],
                confidence=person.confidence,
            )
        )
    return found
