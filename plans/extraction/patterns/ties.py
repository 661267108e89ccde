"""Ties between two people stated in a clause: source is slot A, target slot B (C, when
present, is a second source: "Katrin and Felix report to me")."""

from __future__ import annotations

from plans.extraction.patterns.engine import Pattern
from plans.extraction.signals import RelationType

APPROVAL = (
    r"(?:approval|sign-?off|signoff|signature|blessing|okay|ok|buy-?in|green light|go-?ahead|nod)"
)
RUN_BY = r"(?:run (?:this|it|that|things|everything|the \w+|them)? ?(?:by|past)|check (?:this|it|that|in)? ?with|clear (?:this|it|that)? ?with|get (?:this|it|that)? ?(?:past|by|in front of)|take (?:this|it|that) to|bring (?:this|it|that) to|loop in|go to|go back to|talk to|get (?:sign-?off|approval|buy-?in|a yes) from|defer to|escalate (?:this|it|that)? ?to)"
TEAM = r"(?:team|group|org|organi[sz]ation|department|dept|unit|function|side of the house|crew)"
LEADS = r"(?:run|runs|running|ran|lead|leads|leading|led|manage|manages|managing|managed|head|heads|heading|headed|own|owns|oversee|oversees|overseeing|look after|looks after)"
BOSS = r"(?:boss|manager|line manager|director|skip(?:-level)?|supervisor|superior|vp|head)"
SHARED_VIEW = r"(?:aligned|on the same page|close|tight|allies|in lockstep|of one mind|in agreement|joined at the hip|on the same side|singing from the same (?:hymn ?sheet|song ?sheet))"

R, D, INF, AL, OPP = (
    RelationType.REPORTS_TO,
    RelationType.DEFERS_TO,
    RelationType.INFLUENCES,
    RelationType.BACKS,
    RelationType.OPPOSES,
)

TIE_PATTERNS: tuple[tuple[RelationType, Pattern], ...] = (
    # -- reports to ---------------------------------------------------------------------
    (
        R,
        Pattern(
            "tie.reports.reports_to",
            r"{A} (?:(?:and|&) {C} )?(?:(?:will|'ll|would|'d|now|still|directly|both) )?(?:reports?|reported|reporting) (?:directly |straight |up )?(?:in)?to {B}",
            0.85,
        ),
    ),
    (
        R,
        Pattern(
            "tie.reports.works_for",
            r"{A} (?:(?:and|&) {C} )?(?:works?|worked|working|sits?|sat) (?:for|under|beneath|below) {B}",
            0.75,
        ),
    ),
    (
        R,
        Pattern(
            "tie.reports.on_team",
            rf"{{A}} (?:(?:and|&) {{C}} )?(?:is|'s|'m|am|are|'re|was|sits?|sit) (?:on|in|part of|within) {{B's}} {TEAM}",
            0.8,
        ),
    ),
    (
        R,
        Pattern(
            "tie.reports.leads_under",
            rf"{{A}} {LEADS} [\w &/,-]{{2,50}}? (?:under|for|reporting to) {{B}}",
            0.75,
        ),
    ),
    (
        R,
        Pattern(
            "tie.reports.is_boss",
            rf"{{B}} (?:is|'s|was) {{A's}} (?:direct |new |current |old )?{BOSS}\b",
            0.85,
        ),
    ),
    (
        R,
        Pattern(
            "tie.reports.boss_named", rf"{{A's}} (?:direct |new |current )?{BOSS}\b,? {{B}}", 0.8
        ),
    ),
    (
        R,
        Pattern(
            "tie.reports.direct_report",
            r"{A} (?:is|'s|was) (?:one of )?{B's} (?:direct )?(?:reports?|people|team members?|analysts?|engineers?|leads?)\b",
            0.8,
        ),
    ),
    (
        R,
        Pattern(
            "tie.reports.manages",
            r"{B} (?:manages|managed|supervises|supervised|oversees|line-?manages) {A}",
            0.75,
        ),
    ),
    (
        R,
        Pattern(
            "tie.reports.runs_for",
            r"{A} (?:runs?|ran|handles?|does|manages?|looks after) (?:it|that|this|\w+(?: \w+)?) for {B}\b(?! (?:to|and))",
            0.6,
        ),
    ),
    # -- defers to: needs their approval ---------------------------------------------------
    (
        D,
        Pattern(
            "tie.defers.run_by",
            rf"(?:{{A}}|\bwe|\bour team)\s*(?:(?:will|'ll|would|'d|still|also) )?(?:need|needs|needed|have|has|had|got|want|wants|must) to {RUN_BY} {{B}}",
            0.85,
        ),
    ),
    (
        D,
        Pattern(
            "tie.defers.needs_approval",
            rf"(?:{{A}}|\bwe|\bour team)\s*(?:(?:will|'ll|would|'d|still|also) )?(?:need|needs|needed|require|requires|want|wants) {{B's}} {APPROVAL}",
            0.85,
        ),
    ),
    (
        D,
        Pattern(
            "tie.defers.defers",
            r"{A} (?:(?:will|'ll|would|'d|always|usually) )?(?:defers?|deferred|deferring|yields?|defer) to {B}",
            0.8,
        ),
    ),
    (
        D,
        Pattern(
            "tie.defers.waiting_on",
            rf"(?:{{A}}|\bwe|\bour team)\s*(?:(?:am|'m|is|'s|are|'re) )?(?:waiting (?:on|for)|pending) {{B's}} {APPROVAL}",
            0.75,
        ),
    ),
    (
        D,
        Pattern(
            "tie.defers.goes_through",
            r"\b(?:anything|everything|it|this|that|stuff like this|things like this|purchases|"
            r"contracts|spend|any (?:purchase|contract|spend|deal|decision)|the (?:final )?decision)"
            r"[^,;.]{0,40}? (?:(?:would|will|'ll|has to|have to|needs? to|must|should|always) )?"
            r"(?:go|goes|gets? run|run|pass|passes|end up|ends up) (?:through|via|past|by|with|up to) {B}",
            0.75,
        ),
    ),
    # -- influences: shapes the other's view ------------------------------------------------
    (
        INF,
        Pattern(
            "tie.influences.listens",
            r"{B} (?:(?:will|'ll|would|'d|always|really|usually) )?(?:listens?|listened|listening) (?:closely )?to {A}\b",
            0.8,
        ),
    ),
    (
        INF,
        Pattern(
            "tie.influences.trusts",
            r"{B} (?:(?:will|'ll|would|'d|always|really|usually) )?(?:trusts?|trusted|relies on|relied on|leans on|leaned on|takes advice from|takes (?:his|her|their) lead from|goes by what) {A}\b",
            0.75,
        ),
    ),
    (INF, Pattern("tie.influences.ear", r"{A} (?:has|have|'s got|has got) {B's} ear", 0.8)),
    (
        INF,
        Pattern(
            "tie.influences.shapes",
            r"{A} (?:(?:will|'ll|can|could|has|have|had|'s|'ve) )?(?:shapes?|shaped|influences?|influenced|sways?|swayed|convinced|persuaded|advises?|advised|briefs?|briefed|steers?|steered|talked|talks|will talk|'ll talk|can talk|brought|bring|win|won) {B}\b(?: (?:round|around|over|into))?",
            0.7,
        ),
    ),
    (
        INF,
        Pattern(
            "tie.influences.follows",
            r"{B} (?:(?:will|'ll|would|'d) )?(?:go with|do|follow|back) whatever {A} (?:says|recommends|thinks|suggests|picks)",
            0.8,
        ),
    ),
    # -- allied: on the same side ----------------------------------------------------------
    (
        AL,
        Pattern(
            "tie.allied.same_page",
            rf"{{A}} (?:and|&) {{B}} (?:are|'re|were|have been|'ve been) (?:completely |totally |fully |very |pretty |really )?{SHARED_VIEW}",
            0.75,
        ),
    ),
    (
        AL,
        Pattern(
            "tie.allied.with",
            r"{A} (?:is|'s|'m|am|was|are|'re) (?:completely |totally |fully |very |pretty |really )?(?:aligned|on the same page|in agreement|in lockstep|close|tight|allied|on the same side) with {B}",
            0.7,
        ),
    ),
    (
        AL,
        Pattern(
            "tie.allied.backs",
            r"{A} (?:(?:will|'ll|would|'d|is going to|'s going to|always) )?(?:backs?|backed|backing|supports?|supported|supporting|stands? behind|stood behind|has|'s got|have got) {B}\b(?:'s back)?(?! (?:to|up))",
            0.7,
        ),
    ),
    (
        AL,
        Pattern(
            "tie.allied.behind",
            r"{A} (?:(?:is|am|are|was|'s|'m|'re) )?(?:fully |firmly |completely |totally |100% |right |squarely )?(?:behind|with|in (?:the same )?camp with|supportive of|on the side of) {B}\b(?! and)",
            0.7,
        ),
    ),
    (
        AL,
        Pattern(
            "tie.allied.agrees",
            r"{A} (?:(?:completely|totally|fully|strongly) )?(?:agrees|agreed|agree) with {B}\b",
            0.6,
        ),
    ),
    # -- opposes: works against the other ----------------------------------------------------
    (
        OPP,
        Pattern(
            "tie.opposes.against",
            r"{A} (?:(?:has been|'s been|is|'s|was|keeps?) )?(?:disagrees?|disagreed|clash(?:es|ed)?|butts? heads|butted heads|fights?|fought|fighting|overruled|overrules?|overrode|undermines?|undermined|is against|was against|argues? against|argued against|pushes back on|pushed back on|pushing back on|resists?|resisted|blocked|blocks|opposes|opposed|vetoed) (?:with )?{B}\b",
            0.75,
        ),
    ),
    (
        OPP,
        Pattern(
            "tie.opposes.at_odds",
            r"{A} (?:and|&) {B} (?:are|'re|were|have been|'ve been) (?:at odds|at loggerheads|on opposite sides|not aligned|not on the same page|butting heads|fighting)",
            0.75,
            negated="keep",
        ),
    ),
    (
        OPP,
        Pattern(
            "tie.opposes.disagree",
            r"{A} (?:and|&) {B} (?:don't|do not|never|didn't|rarely) (?:get along|see eye to eye|agree)",
            0.7,
            negated="keep",
        ),
    ),
)
