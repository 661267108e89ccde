"""Completed, explicit outcomes of a deal, precision first.

A deal is won or lost only on a clause that states a completed outcome as a fact: signed,
the purchase order issued, "we went with X", "we've decided not to proceed". A wish ("I
want it signed by March"), a plan ("we'll sign next week"), a deadline, a question, a
condition or a negation is no outcome; the engine's mood gates refuse them, and these
patterns refuse plans and wishes too. The customer says it, or notes report it.
"""

from __future__ import annotations

from plans.extraction.patterns.engine import Pattern
from plans.extraction.signals import OutcomeKind

PAPER = r"(?:contract|order form|msa|agreement|paperwork|deal|sow|statement of work|renewal|subscription|licen[cs]e agreement|purchase agreement|docusign|paper)"
WE = r"(?:we|i|§\d+|they|the customer|finance|procurement|legal|the board)"
US = r"(?:you|you guys|lumen|lumen systems|your (?:team|platform|product|proposal|bid)|us)"
ANOTHER = r"(?P<other>[a-z][\w.&-]*(?: [a-z][\w.&-]*){0,2})"

WON = OutcomeKind.WON
LOST = OutcomeKind.LOST

OUTCOME_PATTERNS: tuple[tuple[OutcomeKind, Pattern], ...] = (
    (
        WON,
        Pattern(
            "outcome.won.signed",
            rf"\b{WE}(?:'ve| have| had)? (?:just |finally |officially |now |already )?(?:signed|countersigned|executed|e-?signed)(?: off)?(?: on)? (?:the |our |your |it|a )?(?:{PAPER}|it\b)",
            0.85,
            plans=False,
        ),
    ),
    (
        WON,
        Pattern(
            "outcome.won.paper_signed",
            rf"\b(?:the |our |your |a )?{PAPER} (?:is |was |has been |have been |got |'s been |came back |went out )?(?:fully |now |finally |just )?(?:signed|countersigned|executed)(?! by| off by| once| when| after)",
            0.85,
            plans=False,
        ),
    ),
    (
        WON,
        Pattern(
            "outcome.won.po_issued",
            r"\b(?:the |a |our )?(?:po|purchase order)(?: number)? (?:is |was |has been |got |'s been )?(?:now |finally |just )?(?:issued|raised|sent|approved|cut|released|out|through)(?! by| once| when| after)",
            0.85,
            plans=False,
        ),
    ),
    (
        WON,
        Pattern(
            "outcome.won.po_raised",
            rf"\b{WE}(?:'ve| have| had)? (?:just |finally |now )?(?:issued|raised|sent(?: over)?|cut|released|approved|signed) (?:the |a |our )?(?:po|purchase order)",
            0.85,
            plans=False,
        ),
    ),
    (
        WON,
        Pattern(
            "outcome.won.chose_us",
            rf"\b{WE}(?:'ve| have| had)? (?:officially |formally |finally )?(?:chosen|chose|selected|picked|awarded (?:it|the (?:contract|tender|deal)) to|gone with|went with|decided (?:to go|on)(?: with)?) {US}\b",
            0.85,
            plans=False,
        ),
    ),
    (
        WON,
        Pattern(
            "outcome.won.you_won",
            r"\b(?:you(?:'ve| have)? won (?:it|the (?:deal|business|tender|rfp|contract))|it's a (?:yes|go)|you're our (?:vendor|partner) of choice|welcome aboard)\b",
            0.8,
            plans=False,
        ),
    ),
    (
        LOST,
        Pattern(
            "outcome.lost.went_with",
            rf"\b{WE}(?:'ve| have| had)? (?:decided to |chosen to |chose to |opted to |elected to )?(?:gone|went|go|going|gone ahead) with {ANOTHER}",
            0.8,
            plans=False,
        ),
    ),
    (
        LOST,
        Pattern(
            "outcome.lost.chose_other",
            rf"\b{WE}(?:'ve| have| had)? (?:chosen|chose|selected|picked|signed with|awarded (?:it|the (?:contract|tender|deal)) to) {ANOTHER}",
            0.8,
            plans=False,
        ),
    ),
    (
        LOST,
        Pattern(
            "outcome.lost.not_proceeding",
            r"\b(?:we|i|§\d+|they)(?:'ve| have| had)? (?:decided|chosen|chose|elected) (?:not to|against) (?:proceed|proceeding|move forward|moving forward|buy|buying|renew|renewing|go ahead|going ahead|purchase|sign|continue|pursue)",
            0.8,
            plans=False,
            negated="keep",
        ),
    ),
    (
        LOST,
        Pattern(
            "outcome.lost.cancelled",
            r"\b(?:we|i|§\d+|they|the board|leadership|finance)(?:'ve| have| had)? (?:cancelled|canceled|terminated|killed|shelved|scrapped|pulled the plug on|pulled) (?:the |our |this )?(?:project|evaluation|rfp|tender|purchase|deal|contract|subscription|renewal|initiative|pilot|budget)",
            0.8,
            plans=False,
        ),
    ),
    (
        LOST,
        Pattern(
            "outcome.lost.project_dead",
            r"\b(?:the |our |this )?(?:project|evaluation|rfp|tender|purchase|deal|initiative|renewal) (?:is|was|has been|got|'s been) (?:officially )?(?:cancelled|canceled|killed|shelved|scrapped|dead|off)\b",
            0.75,
            plans=False,
        ),
    ),
)
