"""Who defers to, reports to, influences, backs or opposes whom.

Patterns are written with `{N}` for a person's name as said in this conversation (full
name or first name), and "I"/"me"/"my" standing for the speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plans.extraction.rules.people import People
from plans.extraction.rules.text import Sentence
from plans.extraction.signals import Element, Polarity, Qualification, Relation, RelationType

D, R, INF, B, OPP, A = (
    RelationType.DEFERS_TO,
    RelationType.REPORTS_TO,
    RelationType.INFLUENCES,
    RelationType.BACKS,
    RelationType.OPPOSES,
    RelationType.ALLIED_WITH,
)
SPEAKER = "<speaker>"


@dataclass(frozen=True)
class RelationCue:
    type: RelationType
    pattern: str  # {N}, {M}: names; source/target say which is which
    source: str  # "N", "M" or "speaker"
    target: str | None  # "N", "M", "speaker" or None (about the deal)
    confidence: float
    detail: str | None = None
    qualifies: tuple[Element, ...] = ()  # the target (or source) is evidence for these


APPROVE = r"(?:approval|sign[- ]?off|signoff|blessing|okay|ok|buy[- ]in|green light|go[- ]ahead)"
RUN_BY = r"(?:run (?:this|it|that|things|everything|the \w+)? ?(?:by|past)|check (?:this|it|that)? ?with|clear (?:this|it|that)? ?with|get (?:this|it|that)? ?(?:past|by)|take (?:this|it) to|loop in|bring (?:this|it) to)"

CUES: tuple[RelationCue, ...] = (
    RelationCue(
        D,
        rf"\b(?:i|we)(?:'ll|'d| will| would)? (?:need|have|want|got) to {RUN_BY} {{N}}",
        "speaker",
        "N",
        0.85,
        "needs their approval",
    ),
    RelationCue(
        D,
        rf"\b(?:i|we) (?:need|needs|require) {{N}}(?:'s|’s) {APPROVE}",
        "speaker",
        "N",
        0.85,
        "needs their approval",
    ),
    RelationCue(
        D, rf"\bwithout {{N}}(?:'s|’s) {APPROVE}", "speaker", "N", 0.8, "needs their approval"
    ),
    RelationCue(
        D,
        r"\b{N} (?:signs off|approves|has to approve|needs to approve|has to sign off|will (?:need to )?sign off|gets the final say|has the (?:final|last) (?:say|word|call)|makes the (?:final )?call|holds the purse strings|owns the budget|controls the budget|signs the (?:contract|cheque|check|po))",
        "speaker",
        "N",
        0.85,
        "signs off",
        (Element.ECONOMIC_BUYER,),
    ),
    RelationCue(
        D,
        r"\b(?:anything|everything|spend|purchases|contracts) (?:over|above|bigger than|more than) [^.]{1,30}? (?:goes|go|has to go|needs to go) (?:to|through|past) {N}",
        "speaker",
        "N",
        0.85,
        "signs off above a threshold",
        (Element.ECONOMIC_BUYER,),
    ),
    RelationCue(
        D,
        r"\b(?:it's|it is|that's|that is|whether we spend (?:the )?money is) {N}(?:'s|’s) (?:call|decision|budget|money)",
        "speaker",
        "N",
        0.85,
        "their call",
        (Element.ECONOMIC_BUYER,),
    ),
    RelationCue(
        D,
        r"\b(?:final )?(?:decision|say|sign[- ]off) (?:is|rests|sits|lies|will be) with {N}",
        "speaker",
        "N",
        0.85,
        "decides",
        (Element.ECONOMIC_BUYER,),
    ),
    RelationCue(
        D,
        rf"\b{{N}} (?:needs|has|will need|would need|wants) to {RUN_BY} {{M}}",
        "N",
        "M",
        0.8,
        "needs their approval",
    ),
    RelationCue(
        D,
        rf"\b{{N}} (?:needs|will need|would need) {{M}}(?:'s|’s) {APPROVE}",
        "N",
        "M",
        0.8,
        "needs their approval",
    ),
    RelationCue(R, r"\b(?:i|he|she) report(?:s)? (?:in)?to {N}", "speaker", "N", 0.85),
    RelationCue(
        R, r"\b{N} is my (?:boss|manager|line manager|skip|director|vp)\b", "speaker", "N", 0.85
    ),
    RelationCue(R, r"\bmy (?:boss|manager|line manager|director|vp), {N}", "speaker", "N", 0.8),
    RelationCue(R, r"\b{N} report(?:s|ed)? (?:in)?to {M}", "N", "M", 0.85),
    RelationCue(R, r"\b{N}(?:'s|’s) (?:team|group|org) reports (?:in)?to {M}", "N", "M", 0.7),
    RelationCue(
        R,
        r"\b{N} (?:reports to me|works for me|is on my team|is one of my (?:reports|direct reports)|sits under me)",
        "N",
        "speaker",
        0.85,
    ),
    RelationCue(
        R,
        r"\bmy (?:direct report|report|lead|engineer|analyst|manager of \w+),? {N}",
        "N",
        "speaker",
        0.75,
    ),
    RelationCue(
        R,
        r"\b{N}(?:,)? who (?:runs|leads|heads|manages) [\w ]{3,40}?(?:,| and) (?:he|she) reports to me",
        "N",
        "speaker",
        0.8,
    ),
    RelationCue(
        INF,
        r"\b{N} has (?:a lot of |real |huge |a ton of |significant |some )?(?:influence|sway|pull|clout)",
        "N",
        None,
        0.75,
        "has influence",
    ),
    RelationCue(
        INF, r"\b{M} (?:listens to|trusts|relies on|leans on|defers to) {N}", "N", "M", 0.8
    ),
    RelationCue(
        INF,
        r"\b{N} (?:will|would) (?:weigh in|have a say|want a say|have input)",
        "N",
        None,
        0.65,
        "weighs in",
    ),
    RelationCue(
        INF,
        r"\b{N} (?:sits on|is on|chairs) (?:the |that |our )?(?:committee|board|council|panel)",
        "N",
        None,
        0.7,
        "sits on the deciding committee",
    ),
    RelationCue(
        INF,
        r"\b{N} (?:will|would|can|could) (?:block|veto|kill|stop) (?:anything|this|it|any|the)",
        "N",
        None,
        0.75,
        "can block it",
    ),
    RelationCue(INF, r"\b{N} knows {M}(?:'s|’s)? (?:well|personally)", "N", "M", 0.55),
    RelationCue(
        B,
        r"\b{N} (?:has been|is|'s been|’s been|was|'s|’s) (?:really |very |actively )?(?:pushing|advocating|lobbying|championing|pounding the table|campaigning) (?:hard )?(?:for )?",
        "N",
        None,
        0.8,
        "pushes for it",
        (Element.CHAMPION,),
    ),
    RelationCue(
        B,
        r"\b{N} (?:is|'s|’s|was) (?:a |our |your )?(?:big |huge |real |strong )?(?:fan|supporter|advocate|champion|believer)\b",
        "N",
        None,
        0.75,
        "supports it",
        (Element.CHAMPION,),
    ),
    RelationCue(
        B,
        r"\b{N} (?:loves|loved|really likes|really liked|is excited about|is keen on|is very supportive|is supportive|is on board|is sold)\b",
        "N",
        None,
        0.7,
        "supports it",
        (Element.CHAMPION,),
    ),
    RelationCue(
        B,
        r"\b{N}(?:'s|’s| is) (?:very |really |fully )?(?:supportive|on board|keen|excited|sold)\b",
        "N",
        None,
        0.7,
        "supports it",
        (Element.CHAMPION,),
    ),
    RelationCue(
        B,
        r"\b{N} (?:will|would|'ll|’ll) back (?:me|us|this|it|you)\b",
        "N",
        None,
        0.7,
        "will back it",
    ),
    RelationCue(
        OPP,
        r"\b{N} (?:is|'s|’s|seems|sounds|remains|was|has been) (?:very |pretty |quite |a bit |a little |really |deeply |still |openly )?(?:skeptical|sceptical|not convinced|unconvinced|against|opposed|resistant|hesitant|lukewarm|cold on|negative|wary|worried|not a fan|not keen)\b",
        "N",
        None,
        0.75,
        "is skeptical",
    ),
    RelationCue(
        OPP,
        r"\b{N} (?:pushed back|is pushing back|hates|doesn't like|does not like|wants to kill|killed|blocked|is blocking|vetoed|prefers|would rather|wants to stay with|wants to build)\b",
        "N",
        None,
        0.7,
        "pushes against it",
    ),
    RelationCue(
        A,
        r"\b{N} and {M} are (?:close|tight|aligned|allies|old friends|on the same page)\b",
        "N",
        "M",
        0.7,
    ),
    RelationCue(
        A,
        r"\b{N} (?:is close to|is aligned with|is tight with|works closely with) {M}",
        "N",
        "M",
        0.65,
    ),
)


PRONOUN = re.compile(r"^(?:he|she|him|her)$", re.IGNORECASE)


def find_relations(
    sentences: list[Sentence], people: People
) -> tuple[list[Relation], list[Qualification]]:
    names = people.pattern()
    name_only = re.compile(rf"\b(?:{names})\b")
    with_pronouns = f"{names}|[Hh]e|[Ss]he"
    # "Sarah Chen, our CFO, signs off": an appositive may follow a name; and "Mike's
    # been pushing" has no space before the verb.
    appositive = r"(?:,\s*(?:who is\s+)?(?:our|the|their|my|his|her)\s+[^,.;]{2,60},)?\s*"
    compiled = [
        (
            cue,
            re.compile(
                cue.pattern.replace("{N} ", f"(?P<N>{with_pronouns}){appositive}")
                .replace("{N}", f"(?P<N>{with_pronouns})")
                .replace("{M} ", f"(?P<M>{names}){appositive}")
                .replace("{M}", f"(?P<M>{names})"),
                re.IGNORECASE,
            ),
        )
        for cue in CUES
    ]
    relations: dict[tuple[str, RelationType, str | None], Relation] = {}
    qualifications: list[Qualification] = []
    recent: str | None = None  # the last person named (not the speaker): who "he"/"she" is
    for sentence in sentences:
        if sentence.signature:
            continue
        speaker = people.find(sentence.speaker) if sentence.speaker else None
        named = [people.find(m.group(0)) for m in name_only.finditer(sentence.text)]
        others = [
            p.name for p in named if p is not None and (speaker is None or p.name != speaker.name)
        ]
        if sentence.is_question:
            recent = others[-1] if others else recent
            continue
        mentions = [(m.start(), people.find(m.group(0))) for m in name_only.finditer(sentence.text)]
        for cue, pattern in compiled:
            for match in pattern.finditer(sentence.text):
                # "he"/"she": the last person named before it in this sentence, else earlier
                before = [
                    p.name for start, p in mentions if p is not None and start < match.start()
                ]
                antecedent = before[-1] if before else recent
                source = _who(cue.source, match, sentence, people, antecedent)
                target = (
                    _who(cue.target, match, sentence, people, antecedent) if cue.target else None
                )
                if source is None or (cue.target and target is None) or source == target:
                    continue
                key = (source, cue.type, target)
                if key not in relations:
                    relations[key] = Relation(
                        source=source,
                        type=cue.type,
                        target=target,
                        detail=cue.detail,
                        quote=sentence.text,
                        confidence=cue.confidence,
                    )
                subject = target if cue.target and cue.type is RelationType.DEFERS_TO else source
                for element in cue.qualifies:
                    qualifications.append(
                        Qualification(
                            element=element,
                            summary=f"{subject}: {cue.detail or element.value}",
                            polarity=Polarity.SUPPORTS,
                            person=subject,
                            quote=sentence.text,
                            confidence=cue.confidence,
                        )
                    )
        if others:
            recent = others[-1]
    return list(relations.values()), qualifications


def _who(
    role: str | None, match: re.Match[str], sentence: Sentence, people: People, recent: str | None
) -> str | None:
    if role == "speaker":
        if sentence.speaker is None:
            return None
        person = people.find(sentence.speaker)
        return person.name if person else sentence.speaker
    if role in ("N", "M"):
        said = match.group(role)
        if PRONOUN.match(said):
            return recent
        person = people.find(said)
        return person.name if person else said
    return None
