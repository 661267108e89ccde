"""The phrase rules, as data: each cue is a pattern over one lower-cased sentence, what
it is evidence of, and how much it says (its confidence).

Cues are written for how buyers talk, in general: none is fitted to a single
conversation. A sentence a customer says (or a note about the customer) counts; our own
rep's words count only where the cue says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plans.extraction.signals import Element, Polarity


@dataclass(frozen=True)
class Cue:
    element: Element
    pattern: re.Pattern[str]
    confidence: float
    summary: str
    polarity: Polarity = Polarity.SUPPORTS
    needs_we: bool = False  # the sentence must be about "we/our/us/my team"
    id: str = ""  # stable: element, polarity and the cue's place among that element's cues


_COUNTS: dict[tuple[Element, Polarity], int] = {}


def cue(
    element: Element,
    pattern: str,
    confidence: float,
    summary: str,
    polarity: Polarity = Polarity.SUPPORTS,
    needs_we: bool = False,
) -> Cue:
    number = _COUNTS[(element, polarity)] = _COUNTS.get((element, polarity), 0) + 1
    sign = "for" if polarity is Polarity.SUPPORTS else "against"
    return Cue(
        element,
        re.compile(pattern),
        confidence,
        summary,
        polarity,
        needs_we,
        id=f"cue.{element.value}.{sign}.{number}",
    )


S, C = Polarity.SUPPORTS, Polarity.CONTRADICTS
E = Element

WE = re.compile(r"\b(?:we|we're|we've|we'd|our|ours|us|my team|i|i'm|i've|my|me)\b")

QUALIFICATION_CUES: tuple[Cue, ...] = (
    # -- identified pain --------------------------------------------------------------
    cue(
        E.IDENTIFIED_PAIN,
        r"\b(?:struggl\w*|headaches?|nightmare|bottlenecks?|drowning|firefight\w*|babysit\w*|pain points?|biggest (?:problem|issue|challenge|pain)|real problem|the problem is|our problem|major issue|keeps? (?:breaking|failing|falling over)|falls? over|error[- ]prone|can'?t keep up|no visibility|blind spots?|costing us|losing (?:money|customers|revenue|deals|track)|wast(?:e|ing) (?:a lot of |so much )?(?:time|hours|money)|too (?:slow|manual|expensive|long)|(?:silent|constant) failures?|failed (?:an |the |our )?audit|audit findings?|out of control|unsustainable|fire drill|scrambl\w+)\b",
        0.7,
        "a pain the customer names",
        needs_we=True,
    ),
    cue(
        E.IDENTIFIED_PAIN,
        r"\b(?:manual(?:ly)?|spreadsheets?|by hand|copy[- ]past\w*)\b.{0,60}\b(?:every|each|all|hours?|days?|weeks?|takes?|spend|spending)\b",
        0.6,
        "manual work the customer describes",
        needs_we=True,
    ),
    cue(
        E.IDENTIFIED_PAIN,
        r"\btakes? (?:us |them |my team )?(?:\w+ )?(?:days|weeks|hours|forever|ages)\b",
        0.6,
        "a process that takes too long",
        needs_we=True,
    ),
    cue(
        E.IDENTIFIED_PAIN,
        r"\b(?:the (?:real |big |main |whole )?problem (?:is|was)|that's (?:sort of |kind of |really )?the problem|(?:got|gotten|getting|is) (?:completely |totally |a bit )?out of hand|doesn'?t scale|not sustainable|unsustainable|we can'?t (?:keep|trust|see|tell|get|rely)|nobody trusts|no single (?:source|version|definition)|(?:different|conflicting|inconsistent) numbers|(?:data|numbers|reports?) (?:is|are) (?:wrong|late|stale|inconsistent|unreliable))\b",
        0.7,
        "a problem the customer describes",
    ),
    # -- need ---------------------------------------------------------------------------
    cue(
        E.NEED,
        r"\b(?:we|i|our team|the team)(?: really| definitely| urgently)? (?:need|needs|have to|must) (?:a |an |some |to (?:replace|fix|automate|consolidate|modernize|modernise|get|improve|reduce|cut|stop|move|migrate|have|find|solve|sort out)|better|something)\b",
        0.7,
        "the customer states a need",
        needs_we=True,
    ),
    cue(
        E.NEED,
        r"\b(?:we're|we are|i'm|i am) (?:actively |seriously )?(?:looking for|looking to|trying to find|in the market for|shopping for|evaluating)\b",
        0.7,
        "the customer is looking for a solution",
    ),
    cue(
        E.NEED,
        r"\b(?:top|number one|#1|first|big|key|main) priority\b|\bpriority (?:for|this) (?:us|year|quarter)\b|\bmandate\b",
        0.65,
        "a stated priority",
        needs_we=True,
    ),
    cue(
        E.NEED,
        r"\b(?:not shopping|just (?:exploring|looking|curious|browsing|kicking the tyres|kicking the tires)|not (?:a priority|urgent|in the market|looking to (?:buy|change|switch))|no (?:real )?need|don'?t (?:really )?need|happy with (?:our (?:current|existing|own)|what we (?:have|'ve got|already)|the (?:current|existing) (?:one|tool|setup|system|vendor)|how things are|the status quo)|no plans to)\b",
        0.7,
        "the customer says there is no active need",
        polarity=C,
    ),
    cue(
        E.NEED,
        r"\b(?:we|i) (?:really |definitely |urgently |also |do )?(?:need|want)\b(?! to (?:run|check|talk|think|ask|see|get back|confirm|make sure|be careful|understand|know|hear|wrap|go|jump|drop|hop))(?! you\b)",
        0.6,
        "the customer says what they need",
        needs_we=True,
    ),
    cue(
        E.IDENTIFIED_PAIN,
        r"\b(?:is|are|'s|’s) (?:a |an |an absolute |a complete |a total |a real )?(?:mess|disaster|nightmare|pain|headache|problem|bottleneck)\b",
        0.6,
        "a problem the customer describes",
        needs_we=True,
    ),
    # -- metrics -------------------------------------------------------------------------
    cue(
        E.METRICS,
        r"\b(?:reduce|cut|save|saving|savings|improve|increase|decrease|lower|raise|grow|boost|drop|shave|shorten|recover)\w*\b.{0,60}?\b(?:\d+(?:\.\d+)?\s?(?:%|percent|x|hours?|days?|minutes?|weeks?|ftes?|people|points?)|by (?:half|a third|a quarter|\d+))",
        0.7,
        "a measurable goal",
    ),
    cue(
        E.METRICS,
        r"\b(?:roi|payback|business case|kpis?|slas?|target is|goal is|success (?:looks like|means|criteria|metrics?)|north star|benchmark|baseline|before[- ]and[- ]after)\b",
        0.6,
        "metrics for success are discussed",
    ),
    cue(
        E.METRICS,
        r"\bfrom (?:about |around )?\d[\d,.]*\s?(?:%|hours?|days?|minutes?|weeks?)?.{0,30}\bto (?:about |around |under )?\d[\d,.]*\s?(?:%|hours?|days?|minutes?|weeks?)\b",
        0.6,
        "a before-and-after figure",
    ),
    cue(
        E.METRICS,
        r"\bworth\b.{0,40}\b(?:million|thousand|\d+k|\$\d|€\d|£\d)",
        0.65,
        "a value the customer puts on solving it",
    ),
    # -- economic buyer / authority ----------------------------------------------------
    cue(
        E.ECONOMIC_BUYER,
        r"\b(?:economic buyer|budget holder|holds? the (?:budget|purse strings|money)|owns? the budget|controls? the budget|(?:it's|it is) (?:\w+'s|his|her) budget|signs? (?:off )?(?:on )?(?:anything|everything|all spend|purchases|contracts)|signs? the (?:contract|check|cheque|po)|final (?:sign[- ]off|approval|say)|(?:has|have|gets?) the (?:final|last) (?:say|word)|whether we spend (?:the )?money)\b",
        0.8,
        "who controls the money",
    ),
    cue(
        E.ECONOMIC_BUYER,
        r"\b(?:cfo|ceo|coo|cio|cto|board|finance director|vp of finance|head of finance|president|owner|managing director)\b.{0,30}\b(?:has to|needs to|will have to|must|would have to|will need to|gets? to) (?:approve|sign|sign off|okay|ok|bless)\b",
        0.75,
        "a senior approver of the spend",
    ),
    cue(
        E.AUTHORITY,
        r"\b(?:(?:it's|it is|that's|that is) (?:my|our) (?:call|decision)|i (?:make|own|have) the (?:call|decision|final say)|decision is mine|(?:the )?(?:tool|vendor|technical|platform) (?:decision|choice) is (?:my|our) call|i(?:'m| am) the decision[- ]maker|i can sign(?: off)?|within my (?:budget|authority|sign[- ]off)|i have (?:the )?(?:authority|sign[- ]off))\b",
        0.8,
        "the speaker has authority",
    ),
    cue(
        E.AUTHORITY,
        r"\b(?:decision[- ]maker|makes? the (?:final )?(?:call|decision)|(?:final )?decision (?:is|rests|sits|lies) with)\b",
        0.7,
        "who decides",
    ),
    # -- decision criteria ----------------------------------------------------------------
    cue(
        E.DECISION_CRITERIA,
        r"\b(?:criteria|requirements?|must[- ]haves?|non[- ]negotiables?|deal[- ]breakers?|hard requirement|evaluation (?:matrix|scorecard)|scorecard|checklist|(?:has|have|needs?) to (?:support|integrate|handle|be|have|work with|do)|must (?:support|have|integrate|be|handle)|(?:key|big|important|main) (?:factors?|things?|concerns?) (?:for|to) (?:us|me)|we(?:'ll| will) (?:evaluate|judge|compare|score) (?:on|based on|against|vendors))\b",
        0.7,
        "what the customer will judge on",
    ),
    cue(
        E.DECISION_CRITERIA,
        r"\b(?:sso|saml|scim|soc ?2|hipaa|gdpr|data residency|on[- ]prem(?:ise)?|single sign[- ]on|audit trail|role[- ]based access|rbac|encryption|uptime|sla)\b.{0,40}\b(?:required|requirement|must|need|needs|non[- ]negotiable|have to|block)\b|\b(?:required|requirement|must|need|non[- ]negotiable|have to|block)\w*\b.{0,40}\b(?:sso|saml|scim|soc ?2|hipaa|gdpr|data residency|single sign[- ]on|audit trail|rbac|encryption)\b",
        0.75,
        "a hard technical or security requirement",
    ),
    # -- decision process -----------------------------------------------------------------
    cue(
        E.DECISION_PROCESS,
        r"\b(?:steering (?:committee|group)|(?:governance|architecture|investment|capital|change advisory|review|it) (?:committee|board|council)|(?:security|architecture|procurement|vendor|legal) review|approval process|decision process|buying process|the process (?:is|looks like|would be|will be)|rfp|rfi|rfq|proof of concept|\bpoc\b|pilot|bake[- ]?off|shortlist|short[- ]list|evaluation (?:period|phase|process)|(?:present|presenting|take (?:it|this)|bring (?:it|this)|go) to (?:the )?(?:board|committee|exec\w*|leadership|cfo|ceo|council)|(?:needs?|has) to (?:go through|get) (?:approv\w+|sign[- ]off)|(?:final )?decision (?:by|in|before|at the))\b",
        0.7,
        "how the decision gets made",
    ),
    cue(
        E.DECISION_PROCESS,
        r"\bfirst\b.{0,60}\b(?:then|after that|and then)\b.{0,60}\b(?:sign|approv\w+|decision|procurement|legal|contract|committee|board|purchase)\w*",
        0.65,
        "the steps to a decision",
    ),
    # -- paper process --------------------------------------------------------------------
    cue(
        E.PAPER_PROCESS,
        r"\b(?:procurement|purchasing team|legal (?:review|team|will|needs|has)|redlines?|red[- ]?lin\w+|\bmsa\b|master (?:services|subscription) agreement|\bdpa\b|data processing (?:agreement|addendum)|\bbaa\b|business associate agreement|order form|purchase order|\bpo\b|vendor (?:onboarding|registration|setup|set-up|assessment|form)|security (?:questionnaire|assessment)|infosec review|contract (?:review|terms|signature|negotiation)|countersign\w*|docusign|our paper|your paper|payment terms|net[- ]?(?:30|45|60|90)|insurance cert\w*)\b",
        0.7,
        "contracting steps",
    ),
    # -- champion -------------------------------------------------------------------------
    cue(
        E.CHAMPION,
        r"\bi(?:'ll| will| can|'m going to| am going to) (?:champion|sponsor|push for|make the case|advocate|sell (?:this|it) internally|fight for|go to bat|put my name|back (?:this|you|it))\b",
        0.8,
        "the speaker will champion it",
    ),
    cue(
        E.CHAMPION,
        r"\bi(?:'m| am) (?:fully |totally |100% |completely |all )?(?:on board|bought in|sold|convinced|your (?:champion|sponsor|advocate))\b",
        0.7,
        "the speaker backs it",
    ),
    cue(
        E.CHAMPION,
        r"\b(?:has been|is|'s been|been) (?:pushing|advocating|lobbying|championing|pounding the table) (?:for|hard for)? ?(?:this|it|us|you|the project|a fix)?\b|\b(?:big|huge|real|strong) (?:fan|supporter|advocate|champion|believer)\b",
        0.7,
        "someone is pushing for it internally",
    ),
    # -- competition ----------------------------------------------------------------------
    cue(
        E.COMPETITION,
        r"\b(?:also |currently )?(?:looking at|evaluating|talking to|comparing|considering|trialing|trialling|piloting) (?:a few |a couple of |two |three |other |some other |several )?(?:vendors|options|alternatives|tools|solutions|providers|platforms)\b|\b(?:build (?:it|this|something) (?:ourselves|in[- ]house)|build (?:vs|versus|or) buy|in[- ]house (?:tool|build|solution))\b|\bincumbent\b",
        0.65,
        "alternatives are in play",
    ),
    # -- budget ---------------------------------------------------------------------------
    cue(
        E.BUDGET,
        r"\b(?:(?:money|budget|funding|funds) (?:put|set) aside|(?:put|set) (?:some )?(?:money|budget|funds) aside|(?:i|we)(?:'ve| have) got (?:somewhere |about |around |roughly )?(?:in the )?(?:\$|€|£)?[\w-]+ ?(?:k|thousand|grand|million)|(?:have|got|there is|there's|we've got|set aside|approved|allocated|earmarked|secured|ring[- ]?fenced|reserved) (?:a |the |some |an? )?(?:\w+ )?(?:budget|funding|line item|money)|budget (?:is|was|has been|'s|got) (?:approved|allocated|set aside|there|in place|secured|signed off|confirmed|earmarked)|budgeted|(?:is|are|was) funded|capital plan|(?:capex|opex) (?:line|budget)|line item (?:approved|for))\b",
        0.8,
        "budget exists",
    ),
    cue(
        E.BUDGET,
        r"\bbudget(?:'s| is| of| around| about| at| for this)\b.{0,40}(?:\$|€|£|\d+k|\d{2,}|thousand|million|grand)",
        0.8,
        "a budget figure",
    ),
    cue(
        E.BUDGET,
        r"\b(?:no budget|don'?t have (?:the |any )?budget|haven'?t got (?:the |any )?budget|(?:the )?budget (?:was|got|has been|is being) (?:cut|frozen|pulled|slashed|reduced|killed)|budget freeze|spending freeze|not budgeted|unbudgeted|no money|can'?t afford|out of (?:our )?budget|over (?:our )?budget|(?:nothing|no room) (?:left )?in (?:the|our|this year's) budget)\b",
        0.8,
        "no budget",
        polarity=C,
    ),
    cue(
        E.BUDGET,
        r"\b(?:approved|signed off on|okayed|agreed) (?:the )?(?:commercials|purchase|spend|pricing|price|order form|budget|deal|contract|investment)\b|\bwithin the [\w$€£.,-]+ (?:you|we|they|he|she) approved\b|\b(?:i|we) (?:can|could) find\b.{0,40}(?:\$|€|£|\d|thousand|grand|\bk\b|million)|\bi hold the (?:money|budget|purse strings)\b",
        0.8,
        "the money is there",
    ),
    cue(
        E.BUDGET,
        r"\b(?:in|into|included in|add(?:ed)? to|put (?:it|this) in) (?:the|our|her|his|my|next year's|this year's|the next) budget(?: submission| request| plan| line)?\b|\bfits? (?:the|our|within the|within our) (?:money|budget)\b",
        0.6,
        "a budget is being sought",
    ),
    cue(
        E.BUDGET,
        r"\b(?:frozen|freez(?:e|ing)) (?:all )?(?:\w+ )?spend\w*|(?:gone|went|goes) back (?:in)?to the pot|back in the pot",
        0.8,
        "the money went away",
        polarity=C,
    ),
    # -- timeline -------------------------------------------------------------------------
    cue(
        E.TIMELINE,
        r"\b(?:deadline|go[- ]live|hard date|need (?:this|it|something) (?:live |in place |done |running )?(?:by|before)|want to (?:sign|be live|launch|start|kick off|have (?:this|it) (?:live|in place)) (?:by|before|in)|(?:sign|decide|decision|purchase|buy) (?:by|before|in)|use[- ]it[- ]or[- ]lose[- ]it|before (?:the )?(?:renewal|contract (?:ends|expires)|fiscal year))\b",
        0.75,
        "a timeline is stated",
    ),
    cue(
        E.TIMELINE,
        r"\b(?:no (?:rush|hurry|timeline|deadline|urgency)|not (?:urgent|in a rush|in a hurry|time[- ]sensitive)|on hold|paused|(?:pushed|pushing) (?:it |this )?(?:back|out)|deprioriti\w+|back ?burner|parked|not (?:this|until next) (?:year|quarter)|revisit (?:it |this )?(?:next|in)\b)",
        0.75,
        "no timeline or it slipped",
        polarity=C,
    ),
)

DEAL_NEGATIVE = re.compile(
    r"\b(?:not shopping|just (?:exploring|looking|curious|browsing|kicking the tyres|kicking the tires|gathering information|doing research)|"
    r"not (?:a priority|urgent|in the market|a fit|looking to (?:buy|change|switch|replace))|"
    r"not interested(?: right now| at the moment| at this time| in (?:this|it|that|buying|changing|switching|moving|lumen|your))?[.,!]?$|"
    r"(?:send|email|shoot) (?:me|us|over) (?:some|a|the)? ?(?:info|information|brochure|deck|one[- ]pager|overview|materials)|"
    r"happy with (?:our (?:current|existing|own)|what we (?:have|'ve got|already)|the (?:current|existing) (?:one|tool|setup|system|vendor)|how things are|the status quo)|no plans to|no (?:budget|money)|budget (?:freeze|was cut|got cut)|"
    r"maybe (?:next|later|in a) (?:year|quarter)|not (?:this|until next) (?:year|quarter)|"
    r"(?:this|it|the project|the evaluation|everything|the rfp|the deal|the purchase|we're|we are) (?:is |are |has been |have been )?(?:on hold|paused)|"
    r"(?:went|gone|decided to go|chose to go|opted to go|going to go) with (?!you\b|lumen\b|us\b)|decided (?:not to|against)|chose (?:another|someone else)|cancel(?:led|ling|ed|ing)? (?:the|our|this)|"
    r"not renewing|won'?t (?:be )?renew\w*|(?:not|never) going to (?:buy|happen|work))\b"
)

EVALUATION_STEP = re.compile(
    r"\b(?:proof of concept|\bpoc\b|pilot|trial|sandbox|demo|proposal|quote|pricing|price (?:list|sheet|quote)|"
    r"order form|contract|msa|sow|statement of work|reference (?:call|customers?)|security review|"
    r"questionnaire|technical (?:deep[- ]dive|validation)|workshop|scoping|business case|roi)\b"
)

INJECTION = re.compile(
    r"\b(?:(?:ignore|disregard|forget|override) (?:all |any |the )?(?:previous|prior|above|earlier|your|these|those|system) (?:instructions|prompts?|rules|directions)|"
    r"system prompt|you are (?:an? )?(?:ai|assistant|language model|chatbot)|as an ai|"
    r"(?:mark|set|move|update|change) (?:this|the) (?:deal|opportunity|stage|crm)\b.{0,40}\b(?:closed|won|lost|stage)|"
    r"(?:set|change) (?:the )?stage to|new instructions?:|assistant:|\[system\])"
)

# Talk about the past ("in January I said maybe next year", "last time we had no budget"):
# hesitation then is not hesitation now.
PAST_REFERENCE = re.compile(
    r"\b(?:(?:i|we|you) (?:said|told you|thought|mentioned)|remember|last (?:year|time|quarter)|"
    r"back (?:then|in)|used to|at the time|previously|originally)\b"
)
