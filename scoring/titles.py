"""Seniority from a job title, and the starting decision power and influence it implies.

The table (first matching rule wins; matching ignores case and punctuation):

| seniority            | examples                                                        | decision power | influence |
|----------------------|-----------------------------------------------------------------|---------------:|----------:|
| owner / board        | Owner, Founder, Chair, Board member, Managing Partner           | 8.5            | 7.5       |
| c_level              | CEO, CFO, COO, CIO, CTO, CISO, CDO, CRO, CMO, Chief X Officer, President, Managing Director, General Manager, Head of a company/unit "& CEO" | 8.0 | 7.0 |
| executive_vp         | EVP, SVP, Executive/Senior Vice President, Group VP              | 7.0            | 6.5       |
| vp                   | VP, Vice President, Head of (department), Partner, General Counsel | 6.0          | 6.0       |
| director             | Director, Sr/Senior Director, Dir, Controller, Treasurer        | 4.5            | 5.0       |
| manager              | Manager, Mgr, Lead, Team Lead, Head (of a team), Principal, Supervisor | 3.0     | 4.0       |
| senior_contributor   | Senior/Sr/Staff/Principal Engineer/Analyst/Architect, Specialist | 1.5           | 3.0       |
| contributor          | Engineer, Analyst, Associate, Coordinator, Administrator, Assistant, Employee | 1.0 | 2.0   |
| unknown              | (no title, or not recognised)                                   | 2.0            | 2.5       |

Decision power is about signing and approving (it falls steeply below VP); influence is
about being listened to (it falls more gently: managers and senior specialists are often
heard on decisions they do not sign).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Seniority(StrEnum):
    OWNER = "owner"
    C_LEVEL = "c_level"
    EXECUTIVE_VP = "executive_vp"
    VP = "vp"
    DIRECTOR = "director"
    MANAGER = "manager"
    SENIOR_CONTRIBUTOR = "senior_contributor"
    CONTRIBUTOR = "contributor"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class TitleRule:
    seniority: Seniority
    decision_power: float
    influence: float
    pattern: re.Pattern[str]


def _rule(seniority: Seniority, decision_power: float, influence: float, pattern: str) -> TitleRule:
    return TitleRule(seniority, decision_power, influence, re.compile(pattern))


C_SUITE = r"c[aeiofmrst]o|ciso|cdao|cpo|chro|chief [a-z ]+ officer|chief (?!of staff)[a-z]+"
ABBREVIATIONS = {
    "mng": "managing",
    "mgng": "managing",
    "cnsl": "counsel",
    "gen": "general",
    "asst": "assistant",
    "assoc": "associate",
    "sr": "senior",
    "snr": "senior",
    "jr": "junior",
    "mgr": "manager",
    "mngr": "manager",
    "dir": "director",
    "exec": "executive",
    "pres": "president",
    "vp": "vp",
    "dept": "department",
    "eng": "engineering",
    "ops": "operations",
    "svcs": "services",
}
RULES: tuple[TitleRule, ...] = (
    _rule(
        Seniority.OWNER,
        8.5,
        7.5,
        r"\b(?:owner|founder|co founder|cofounder|chair(?:man|woman|person)?|board member|managing partner|senior partner)\b",
    ),
    _rule(
        Seniority.C_LEVEL,
        8.0,
        7.0,
        rf"\b(?:{C_SUITE}|(?<!vice )president|managing director|general manager|gm|md|executive director|head of (?:the )?(?:company|business|group|division))\b",
    ),
    _rule(
        Seniority.EXECUTIVE_VP,
        7.0,
        6.5,
        r"\b(?:evp|svp|executive vice president|senior vice president|group vice president|group vp|exec vp|sr vp|senior vp)\b",
    ),
    _rule(
        Seniority.DIRECTOR,
        4.5,
        5.0,
        r"\b(?:(?:associate|assistant|deputy) general counsel|general counsel (?:assistant|associate))\b",
    ),
    _rule(Seniority.VP, 6.0, 6.0, r"\b(?:vp|vice president|avp|head of|general counsel|partner)\b"),
    _rule(Seniority.DIRECTOR, 4.5, 5.0, r"\b(?:director|dir|controller|treasurer|comptroller)\b"),
    _rule(
        Seniority.MANAGER,
        3.0,
        4.0,
        r"\b(?:manager|mgr|mngr|lead|team lead|tech lead|principal|supervisor|head|superintendent|foreman)\b",
    ),
    _rule(
        Seniority.SENIOR_CONTRIBUTOR,
        1.5,
        3.0,
        r"\b(?:senior|staff|specialist|architect|scientist|counsel|attorney|lawyer|solicitor|consultant|expert)\b",
    ),
    _rule(
        Seniority.CONTRIBUTOR,
        1.0,
        2.0,
        r"\b(?:engineer|analyst|associate|coordinator|administrator|admin|assistant|employee|representative|rep|agent|developer|designer|intern|clerk|officer|accountant|buyer|planner|technician|operator|nurse|teacher|trader|paralegal)\b",
    ),
)
UNKNOWN_RULE = TitleRule(Seniority.UNKNOWN, 2.0, 2.5, re.compile(r"(?!x)x"))


def normalise_title(title: str) -> str:
    text = title.lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    return " ".join(ABBREVIATIONS.get(word, word) for word in text.split())


def title_rule(title: str | None) -> TitleRule:
    """The first rule of the table that matches `title` (unknown when none does)."""
    if not title:
        return UNKNOWN_RULE
    text = normalise_title(title)
    return next((rule for rule in RULES if rule.pattern.search(text)), UNKNOWN_RULE)


def seniority(title: str | None) -> Seniority:
    return title_rule(title).seniority
