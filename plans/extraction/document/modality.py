"""Clauses of a sentence and what each one's mood is.

A sentence is cut where English joins clauses: `;`, a dash, and before a coordinating or
subordinating word (but, because, although, if, unless, once, so, and after a comma...).
Each clause is then read for negation, hedging, condition, question, wish, plan and
completion. A condition colours the clauses it governs: everything up to the next
contrast ("if legal clears it we sign, but Ingrid isn't convinced": the signing is
conditional, Ingrid's doubt is not). A question mark makes the last stretch a question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CUT = re.compile(
    r"\s*;\s*|\s+[-–—]{1,2}\s+|—"
    r"|,?\s+(?=(?:but|because|although|though|whereas|unless|except that|so that|however|"
    r"if|once|until|as long as|provided that|assuming)\b)"
    r"|,\s+(?=(?:and|so|which|while|since|then|plus)\b)"
)
CONTRAST = re.compile(r"^(?:but|however|although|though|whereas|except)\b")
CONDITION = re.compile(
    r"^(?:(?:but|and|so|then|or|even)\s+)?(?:if|unless|once|as long as|provided(?: that)?|assuming|in case|only if|supposing|"
    r"suppose|whether|until)\b"
)
NEGATION = re.compile(
    r"\b(?:not|never|no|nobody|nothing|none|neither|nor|without|hardly|barely|cannot|"
    r"no longer|no one)\b|n['’]t\b"
)
NOT_REALLY_NEGATION = re.compile(
    r"^no\b[,.!]|\bno doubt\b|\bnot only\b|\bno problem\b|\bno worries\b|\bnothing but\b|"
    r"\bnot just\b|\bif not\b|\bno-brainer\b|\bno matter\b"
)
HEDGE = re.compile(
    r"\b(?:maybe|perhaps|probably|possibly|might|may|could|i think|i guess|i suppose|"
    r"i believe|i reckon|sort of|kind of|kinda|not sure|unsure|likely|unlikely|hopefully|"
    r"seems?|apparently|i'd say|potentially|tentatively|in theory|i imagine|ish)\b"
)
WISH = re.compile(
    r"\b(?:want|wants|wanted|wanna|would like|'d like|’d like|hope|hoping|hoped|wish|"
    r"keen to|eager to|would love|'d love|’d love|dying to|can't wait)\b"
)
PLAN = re.compile(
    r"\b(?:will|shall|going to|gonna|plan|planning|plans|planned|intend|intends|aim|aiming|"
    r"expect|expecting|should|schedule|scheduled|target|targeting|need to|needs to|have to|"
    r"has to|had to|must|let's|let us|trying to|try to|looking to|would|ought to|about to)\b"
    r"|['’]ll\b|['’]d\b"
)
# A past event: an irregular past form, or an -ed form that is not an adjective after
# "be"/"feel"/"seem" ("I'm convinced" is a state) and not one of the -ed words that are
# not verbs at all.
NOT_PAST_ED = re.compile(
    r"\b(?:hundred|need|indeed|red|bed|speed|seed|feed|proceed|exceed|succeed|interested|"
    r"based|concerned|related|advanced|detailed|dedicated|limited|automated|integrated)\b"
)
STATE_ED = re.compile(
    r"\b(?:'m|am|is|isn't|are|aren't|'re|be|been|being|feel|feels|seem|seems|get|gets|not)"
    r"\s+(?:\w+\s+)?\w+ed\b"
)
PAST = re.compile(
    r"\b(?:[a-z]+ed|went|gone|chose|chosen|signed|sent|got|gave|given|made|took|taken|did|"
    r"done|was|were|had|came|told|said|decided|picked|bought|won|lost|sold|put|cut|paid|"
    r"issued|executed|countersigned|ran|left|brought|found|kept|spent|wrote|written|"
    r"began|begun|saw|seen|heard|knew|thought|felt|held|met|fell|rang|shut|hit)\b"
)
QUESTION_START = re.compile(
    r"^(?:so,?\s+|and\s+|but\s+|ok(?:ay)?,?\s+)?(?:who|what|when|where|why|how|which|"
    r"(?:do|does|did|is|are|was|were|can|could|would|will|should|have|has|had|shall|may)"
    r"\s+(?:you|we|i|it|that|this|there|the|he|she|they|your|our|anyone|someone))\b"
)


@dataclass(frozen=True)
class Mood:
    negated: bool
    hedged: bool
    conditional: bool
    question: bool
    wish: bool
    plan: bool
    completed: bool


def cut_clauses(sentence: str) -> list[tuple[int, str]]:
    """The sentence's clauses with their offsets, in order; never empty."""
    pieces: list[tuple[int, str]] = []
    position = 0
    for match in CUT.finditer(sentence):
        piece = sentence[position : match.start()]
        if piece.strip():
            pieces.append((position, piece))
        position = match.end()
    if sentence[position:].strip():
        pieces.append((position, sentence[position:]))
    return _joined_connectives(pieces) or [(0, sentence)]


CONNECTIVE_ONLY = re.compile(r"^\W*(?:but|and|so|then|plus|however|which|while|since)\W*$", re.I)


def _joined_connectives(pieces: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A piece that is only a connective ("but" before "if ...") belongs to the next."""
    joined: list[tuple[int, str]] = []
    carry: tuple[int, str] | None = None
    for offset, piece in pieces:
        if carry is not None:
            gap = " " * (offset - carry[0] - len(carry[1]))
            offset, piece = carry[0], carry[1] + gap + piece
            carry = None
        if CONNECTIVE_ONLY.match(piece):
            carry = (offset, piece)
            continue
        joined.append((offset, piece))
    if carry is not None:
        joined.append(carry)
    return joined


def moods(sentence: str, clauses: list[str]) -> list[Mood]:
    """The mood of each clause of one sentence."""
    lowered = [_plain(clause) for clause in clauses]
    conditional = _conditional_spans(lowered)
    questioned = _question_spans(sentence, lowered)
    found = []
    for index, text in enumerate(lowered):
        negated = bool(NEGATION.search(text)) and not (
            NOT_REALLY_NEGATION.search(text) and len(NEGATION.findall(text)) == 1
        )
        wish, plan = bool(WISH.search(text)), bool(PLAN.search(text))
        question, condition = questioned[index], conditional[index]
        completed = _past(text) and not (wish or plan or question or condition)
        found.append(
            Mood(
                negated=negated,
                hedged=bool(HEDGE.search(text)),
                conditional=condition,
                question=question,
                wish=wish,
                plan=plan,
                completed=completed,
            )
        )
    return found


def _past(text: str) -> bool:
    cleaned = STATE_ED.sub(" ", NOT_PAST_ED.sub(" ", text))
    return bool(PAST.search(cleaned))


def _plain(text: str) -> str:
    return text.lower().replace("’", "'").strip(" ,.")


def _conditional_spans(clauses: list[str]) -> list[bool]:
    """True for every clause in a stretch (between contrasts) that holds a condition."""
    stretches: list[list[int]] = [[]]
    for index, text in enumerate(clauses):
        if index and CONTRAST.match(text):
            stretches.append([])
        stretches[-1].append(index)
    flags = [False] * len(clauses)
    for stretch in stretches:
        if any(CONDITION.match(clauses[i]) for i in stretch):
            for i in stretch:
                flags[i] = True
    return flags


def _question_spans(sentence: str, clauses: list[str]) -> list[bool]:
    """The last stretch of a sentence that ends with '?' (or opens like a question) is
    asked, not stated."""
    flags = [False] * len(clauses)
    asks = sentence.rstrip().rstrip("\"')").endswith("?")
    if not asks and clauses and QUESTION_START.match(clauses[0]) and len(clauses) == 1:
        asks = not sentence.rstrip().endswith(".")
    if not asks:
        return flags
    index = len(clauses) - 1
    while index >= 0:
        flags[index] = True
        if CONTRAST.match(clauses[index]) or index == 0:
            break
        index -= 1
    if len(clauses) > 1 and QUESTION_START.match(clauses[0]):
        flags = [True] * len(clauses)
    return flags
