"""Buying roles stated in a clause, whoever states them: the person themself ("the budget
sits with me"), or someone about them ("Dana signs off on anything over 100k"). The role
holder is slot A. Written for how people say each role in general, not for one text."""

from __future__ import annotations

from plans.extraction.patterns.engine import Pattern
from plans.extraction.signals import BuyingRole

MONEY = r"(?:budget|money|funding|funds|spend|purse strings|p&l|cost cent(?:er|re)|cheque ?book|checkbook|wallet)"
APPROVAL = r"(?:approval|sign-?off|signoff|signature|blessing|okay|ok|go-?ahead|green light|final say|final word)"
THE_DEAL = r"(?:it|this|that|the (?:deal|contract|purchase|spend|order|po|budget|money|pricing|commercials|renewal|business case|investment)|anything|everything|purchases|contracts|spend)"
FOR_US = r"(?:this|it|you|you guys|us|lumen|the (?:project|deal|purchase|tool|platform|product|switch|move|pilot|rollout))"
EVALUATION = r"(?:poc|proof of concept|pilot|trial|evaluation|eval|technical (?:review|evaluation|validation|deep[- ]dive|assessment)|sandbox|bake-?off|scoring|scorecard|testing|test plan|benchmark(?:s|ing)?|integration testing|load test(?:s|ing)?|uat)"
REVIEW = r"(?:(?:that|this|the) review|(?:security|procurement|legal|vendor|architecture|compliance|risk|privacy|infosec|it|data protection|gdpr|dpa|contract|commercial|finance) (?:review|sign-?off|process|assessment|approval|questionnaire|side|check|vetting))"
COMMITTEE = r"(?:steering |buying |investment |architecture |review |selection |evaluation |change advisory |capital |tender )?(?:committee|board|council|panel|group|forum)"
PRODUCT = r"(?:it|this|the (?:tool|platform|dashboards?|reports?|bot|product|system|pipelines?|software|app|console|portal))"
# A clause that is about a meeting, a call or a document, not the deal ("I'll sign the NDA").
NOT_DEAL = r"(?!\s+(?:up|in|out|the nda|an nda|nda))"

E, D, C, B, INF, T, U = (
    BuyingRole.ECONOMIC_BUYER,
    BuyingRole.DECISION_MAKER,
    BuyingRole.CHAMPION,
    BuyingRole.BLOCKER,
    BuyingRole.INFLUENCER,
    BuyingRole.TECHNICAL_EVALUATOR,
    BuyingRole.USER,
)

ROLE_PATTERNS: tuple[tuple[BuyingRole, Pattern], ...] = (
    # -- economic buyer: holds the money, signs ----------------------------------------
    (
        E,
        Pattern(
            "role.eb.signs",
            rf"{{A}} (?:(?:will|'ll|would|'d|has to|have to|needs? to|gets? to|can) )?(?:signs?|signed|signing)(?: off)?\b{NOT_DEAL}",
            0.8,
            negated="deny",
        ),
    ),
    (
        E,
        Pattern(
            "role.eb.money_with",
            rf"\b{MONEY} (?:sits|is|lies|rests|comes|will come|would come|'s|has to come|needs to come|comes out) (?:\w+ )?(?:with|from|out of|under) {{A}}",
            0.85,
            negated="deny",
        ),
    ),
    (
        E,
        Pattern(
            "role.eb.owns_money",
            rf"{{A}} (?:owns?|holds?|controls?|manages?|has|have|'ve got|has got|got|runs?) (?:the |our |all the |that )?{MONEY}\b",
            0.8,
            negated="deny",
        ),
    ),
    (
        E,
        Pattern(
            "role.eb.possessive_money",
            rf"(?:it's|it is|that's|that is|comes out of|coming out of|from|out of|in) {{A's}} {MONEY}\b",
            0.8,
            negated="deny",
        ),
    ),
    (
        E,
        Pattern(
            "role.eb.money_is_theirs",
            rf"\b(?:the |this |that )?{MONEY} (?:is|'s|was|will be|isn't|is not|wasn't) {{A's}}",
            0.85,
            negated="deny",
        ),
    ),
    (
        E,
        Pattern(
            "role.eb.not_theirs_but",
            rf"\b{MONEY} (?:isn't|is not|'s not|wasn't|was not) (?:really )?§\d+'s[,;]? "
            rf"(?:it's|it is|that's|it's really|it's all) {{A's}}",
            0.85,
            negated="keep",
        ),
    ),
    (
        E,
        Pattern(
            "role.eb.approves",
            rf"{{A}} (?:(?:will|'ll|would|'d|has to|have to|needs? to|must|gets? to) )?(?:approves?|approved|okays?|okayed|authori[sz]es?|releases?|signs? off on|green-?lights?) {THE_DEAL}",
            0.8,
            negated="deny",
        ),
    ),
    (
        E,
        Pattern(
            "role.eb.final_say",
            r"{A} (?:has|have|gets?|holds?) (?:the )?(?:final|last) (?:say|word|sign-?off|signature|approval)",
            0.8,
            negated="deny",
        ),
    ),
    (
        E,
        Pattern(
            "role.eb.needs_approval",
            rf"\b(?:needs?|requires?|without|pending|waiting on|waiting for) {{A's}} {APPROVAL}",
            0.8,
            negated="keep",
        ),
    ),
    (
        E,
        Pattern(
            "role.eb.is_buyer",
            r"{A} (?:is|'s|'m|am|are|'re) (?:the |our |their )?(?:budget holder|economic buyer|signatory|signing authority|one (?:who|that) signs|one with the (?:money|budget|purse strings)|one holding the (?:money|budget|purse strings))",
            0.85,
            negated="deny",
        ),
    ),
    # -- decision maker: chooses the solution --------------------------------------------
    (
        D,
        Pattern(
            "role.dm.possessive_call",
            r"(?:it's|it is|that's|that is|it'll be|it will be|ultimately|the decision is|the call is) {A's} (?:call|decision|choice|pick)",
            0.85,
            negated="deny",
        ),
    ),
    (
        D,
        Pattern(
            "role.dm.call_is_theirs",
            r"\b(?:the )?(?:call|decision|choice) (?:is|'s|was|will be|isn't|is not|wasn't) {A's}",
            0.85,
            negated="deny",
        ),
    ),
    (
        D,
        Pattern(
            "role.dm.makes_call",
            r"{A} (?:(?:will|'ll|would|'d|gets? to|get to|has to|have to) )?(?:make|makes|made|making) the (?:final |last |actual )?(?:call|decision|choice|decisions)",
            0.8,
            negated="deny",
        ),
    ),
    (
        D,
        Pattern(
            "role.dm.decides",
            r"{A} (?:(?:will|'ll|would|'d|gets? to|get to) )?(?:decides?|decided|picks?|chooses?|choose|selects?)\b(?! (?:to|not|whether|if))",
            0.7,
            negated="deny",
        ),
    ),
    (
        D,
        Pattern(
            "role.dm.decision_with",
            r"\b(?:decision|call|choice|final say|selection)s? (?:is|are|rests?|sits?|lies|lie|will be|'s) (?:\w+ )?with {A}",
            0.85,
            negated="deny",
        ),
    ),
    (
        D,
        Pattern(
            "role.dm.is_decider",
            r"{A} (?:is|'s|'m|am) (?:the |our )?(?:decision[- ]maker|decider|one (?:who|that) decides|one making the (?:call|decision)|final decision[- ]maker)",
            0.85,
            negated="deny",
        ),
    ),
    (
        D,
        Pattern(
            "role.dm.owns_decision",
            r"{A} (?:owns?|holds?) the (?:decision|call|vendor (?:decision|selection|choice)|selection|tool choice)",
            0.85,
            negated="deny",
        ),
    ),
    # -- champion: sells for us inside ---------------------------------------------------
    (
        C,
        Pattern(
            "role.ch.pushes_for",
            rf"{{A}} (?:(?:will|'ll|am going to|'m going to|is going to|'s going to|have been|has been|'ve been|'s been|been|is|'s|am|'m|are|'re) )?(?:be )?(?:push|pushes|pushed|pushing|fight|fighting|fought|lobby|lobbying|lobbied|advocate|advocating|advocated|argue|arguing|argued|campaign|campaigning|go to bat|going to bat|went to bat|pound(?:ing)? the table) (?:hard |really hard |internally |upstairs )?for {FOR_US}",
            0.8,
        ),
    ),
    (
        C,
        Pattern(
            "role.ch.champions",
            rf"{{A}} (?:(?:will|'ll|am going to|'m going to|is going to|'s going to|can|have been|has been|'s been) )?(?:champion|champions|championing|championed|sponsor|sponsors|sponsoring|sell|sells|selling) {FOR_US}(?: internally| inside| upstairs| to (?:the|my|our) \w+)?",
            0.8,
        ),
    ),
    (
        C,
        Pattern(
            "role.ch.brought_in",
            r"{A} (?:(?:was|am|'m|is) the one (?:who|that) )?(?:brought|brings|bring|invited|found) (?:you|you guys|you lot|lumen|your team) in",
            0.7,
        ),
    ),
    (
        C,
        Pattern(
            "role.ch.supporter",
            r"{A} (?:is|'s|'m|am|are|has been|'s been|'ve been|remains?) (?:a |your |our |the )?(?:big |huge |real |strong |biggest |main |internal )?(?:fan|supporter|advocate|champion|believer|ally|sponsor|cheerleader)(?! of (?:the (?:status quo|current|old)|building))",
            0.75,
        ),
    ),
    (
        C,
        Pattern(
            "role.ch.bought_in",
            r"{A} (?:is|'s|'m|am|are|'re) (?:fully |totally |completely |all |100% |very much |definitely |really )?(?:on board|bought in|sold on (?:it|this|you|lumen)|in your corner|in favou?r)",
            0.7,
        ),
    ),
    (
        C,
        Pattern(
            "role.ch.backs_deal",
            rf"{{A}} (?:(?:will|'ll|would|'d|is going to|'s going to) )?(?:back|backs|backing|support|supports|supporting|put (?:my|his|her) name (?:to|on)) {FOR_US}",
            0.7,
        ),
    ),
    (
        C,
        Pattern(
            "role.ch.loves",
            r"{A} (?:loves?|loved|really likes?|really liked|is excited about|'s excited about|'m excited about|is keen on|'s keen on|'m keen on) (?:it|this|you|lumen|the (?:demo|product|tool|platform|pilot|poc|idea))",
            0.65,
        ),
    ),
    # -- blocker: argues against, or would veto ----------------------------------------------
    (
        B,
        Pattern(
            "role.bl.sceptical",
            r"{A} (?:is|'s|'m|am|are|'re|seems?|sounds?|remains?|was|were|has been|'s been|'ve been|stays?|looks?) (?:very |pretty |quite |a bit |a little |really |deeply |still |openly |fairly |highly |hugely |so )?(?:skeptical|sceptical|unconvinced|not convinced|not sold|not a fan|not keen|not on board|resistant|hostile|opposed|dead set against|lukewarm|cold on it|against (?:it|this|buying|you|us|lumen|the (?:idea|purchase|project|tool|switch|move)))",
            0.75,
            negated="keep",
        ),
    ),
    (
        B,
        Pattern(
            "role.bl.pushes_back",
            r"{A} (?:(?:has been|'s been|is|'s|was|keeps?|kept|will|'ll|would) )?(?:push|pushes|pushed|pushing) back(?! (?:less|a (?:bit|little) less|less hard|on (?:the )?(?:date|timeline|price|pricing)))",
            0.7,
        ),
    ),
    (
        B,
        Pattern(
            "role.bl.against",
            r"{A} (?:(?:has been|'s been|is|'s|was|keeps?) )?(?:argu(?:es|ed|ing)|lobb(?:ies|ied|ying)|campaign(?:s|ed|ing)|fight(?:s|ing)?|fought|work(?:s|ed|ing)) against (?:it|this|buying|you|us|lumen|the (?:idea|purchase|project|tool|deal|switch|move|spend))",
            0.8,
        ),
    ),
    (
        B,
        Pattern(
            "role.bl.kills",
            r"{A} (?:(?:wants|want|is trying|'s trying|tried|threatened) to )?(?:kill|killed|block|blocked|blocking|veto|vetoed|stall|stalled|stalling|shelve|torpedo|sink|derail) (?:it|this|the (?:deal|project|purchase|evaluation|pilot|idea|whole thing)|us|you)",
            0.75,
        ),
    ),
    (
        B,
        Pattern(
            "role.bl.dislikes",
            r"{A} (?:hates?|hated|can't stand|doesn't like|does not like|don't like|didn't like|is not happy with|isn't happy with|'s not happy with) (?:it|this|the (?:idea|tool|platform|price|demo|product)|you|lumen)",
            0.7,
            negated="keep",
        ),
    ),
    (
        B,
        Pattern(
            "role.bl.prefers_other",
            r"{A} (?:(?:would|'d) rather (?:build|keep|stay|stick)|prefers? (?:to build|building|to keep|keeping|to stay|staying|the incumbent|what we have)|wants? to (?:stay with|keep|stick with|build (?:it|this|our own)))",
            0.7,
        ),
    ),
    # -- influencer: shapes the decision -----------------------------------------------------
    (
        INF,
        Pattern(
            "role.in.sway",
            r"{A} (?:has|have|carries|carry|'s got|has got) (?:a lot of |real |huge |a ton of |significant |some |serious |lots of |massive |a great deal of )?(?:influence|sway|pull|clout|weight|say)\b",
            0.75,
        ),
    ),
    (
        INF,
        Pattern(
            "role.in.weighs_in",
            r"{A} (?:(?:will|would|'ll|'d|has to|needs to|wants to|want to|gets? to) )?(?:weigh in|have a say|want a say|have input|give input|be consulted|be comfortable|be happy with it|be involved|sign off on the (?:security|technical|legal|architecture) (?:side|piece|part))",
            0.65,
        ),
    ),
    (
        INF,
        Pattern(
            "role.in.committee",
            rf"{{A}} (?:sits? on|is on|'s on|am on|'m on|chairs?|runs?) (?:the |that |our |this )?{COMMITTEE}",
            0.7,
        ),
    ),
    (
        INF,
        Pattern(
            "role.in.owns_review",
            rf"{{A}} (?:owns?|runs?|leads?|does|do|handles?|handled|will (?:own|run|lead|do|handle)|'ll (?:own|run|lead|do|handle)|is doing|'s doing|'m doing|am doing) (?:the |that |our |a |any |all )?{REVIEW}",
            0.7,
        ),
    ),
    (
        INF,
        Pattern(
            "role.in.reviews_terms",
            r"{A} (?:(?:will|'ll|would|'d|is going to|'s going to|needs to|has to|wants to) )?(?:review|vet|scrutini[sz]e|check|go through|mark up|redline) (?:the )?(?:contract|terms|msa|dpa|t&cs|order form|security (?:docs|questionnaire|documentation)|pricing|numbers|commercials)",
            0.65,
        ),
    ),
    (
        INF,
        Pattern(
            "role.in.gatekeeper",
            r"{A} (?:(?:will|'ll|would|'d|can|could|might) )?(?:block|veto|kill|stop|reject) (?:anything|any \w+|it|this|vendors?)",
            0.65,
            negated="keep",
        ),
    ),
    (
        INF,
        Pattern(
            "role.in.listened_to",
            r"(?:§\d+|everyone|people|the board|leadership|the team|they) (?:(?:will|'ll|would|always|really) )?(?:listens?|listened) to {A}\b",
            0.7,
        ),
    ),
    (
        INF,
        Pattern(
            "role.in.respected",
            r"{A} (?:is|'s) (?:very |really |hugely |well |highly )?(?:influential|respected|well[- ]respected|trusted|the one people listen to)",
            0.7,
        ),
    ),
    # -- technical evaluator: tests or scores it -----------------------------------------------
    (
        T,
        Pattern(
            "role.te.runs_eval",
            rf"{{A}} (?:(?:will|'ll|would|'d|am going to|'m going to|is going to|'s going to|can|has been|'s been|have been) )?(?:be )?(?:test|tests|tested|testing|evaluate|evaluates|evaluated|evaluating|run|runs|ran|running|lead|leads|led|leading|own|owns|owned|owning|do|does|did|doing|handle|handles|handling|drive|drives|driving|set up|setting up|sets up) (?:the |a |our |your |that |this |any )?(?:technical |hands-on )?{EVALUATION}",
            0.75,
        ),
    ),
    (
        T,
        Pattern(
            "role.te.scores",
            r"{A} (?:(?:will|'ll|would|'d|is going to|'s going to) )?(?:score|scores|scored|scoring|rate|rates|rated|rating|benchmark|benchmarks|benchmarked|kick the tyres|kick the tires|kicking the tyres|kicking the tires|put (?:it|you) through (?:its|your) paces) (?:you|the vendors|vendors|it|each|both|all|the tools|the options|the platforms)?",
            0.7,
        ),
    ),
    (
        T,
        Pattern(
            "role.te.hands_on",
            r"{A} (?:(?:will|'ll|would|'d|wants? to|needs? to|has to|is going to|'s going to) )?(?:get (?:my|his|her|their) hands on|try|trial|look under the hood of|dig into|poke at|play with|stress-?test) (?:it|this|the (?:api|sandbox|product|tool|platform|connectors?|integration|trial))",
            0.65,
        ),
    ),
    (
        T,
        Pattern(
            "role.te.is_evaluator",
            r"{A} (?:is|'s|'m|am) (?:the |our |your )?(?:technical (?:lead|evaluator|owner|contact|reviewer)|one (?:doing|running) the (?:testing|evaluation|poc|pilot)|evaluator|tester)",
            0.8,
        ),
    ),
    # -- user: uses it day to day ----------------------------------------------------------------
    (
        U,
        Pattern(
            "role.us.uses",
            rf"{{A}} (?:(?:will|'ll|would|'d|am going to|'m going to|is going to|'s going to) )?(?:be )?(?:use|uses|using|live in|lives in|living in|work in|works in|working in) {PRODUCT}(?! (?:for|to) (?:decide|evaluate|compare))",
            0.65,
        ),
    ),
    (
        U,
        Pattern(
            "role.us.day_to_day",
            r"{A} (?:(?:will|'ll|would|'d) )?(?:be )?(?:in|on|using|working with|looking at) (?:it|this|the (?:tool|dashboards?|platform|bot|console|system|reports?)) (?:every day|all day|daily|day to day|day in day out|constantly)",
            0.7,
        ),
    ),
    (
        U,
        Pattern(
            "role.us.is_user",
            r"{A} (?:is|'s|'m|am|are|'re) (?:the |an? |our |one of the )?(?:end[- ]users?|power users?|day-to-day users?|main users?|primary users?|one(?:s)? (?:using|who uses|who'll use|who will use) it)",
            0.8,
        ),
    ),
)
