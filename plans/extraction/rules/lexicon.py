"""Word lists the rules share. General English and market knowledge, not tuned to any
one conversation."""

from __future__ import annotations

import re

# Common given names across English-speaking, European, South Asian, East Asian, African
# and Latin American naming; used to tell a person's name from other capitalised words.
FIRST_NAMES = frozenset(
    """
    aaron abby abdul abigail adam adaeze adebayo adele adrian adriana ahmed aisha akira alan
    alana albert alejandro alex alexa alexander alexandra alexis alfred ali alice alicia alina
    alison allison alvaro amanda amara amber amelia amir amit amy ana anand ananya anders andre
    andrea andreas andrew andy angela angelica angus anika anil anita ann anna anne annie anthony
    antoine anton antonio anya arjun arnav arthur arun asha ashley astrid audrey aurora austin ava
    avery ayesha barbara barry beatriz becky bella ben benjamin bernard beth bethany bianca bill
    billy blake bob bobby brad bradley brandon brenda brendan brian bridget brittany bruce bruno
    bryan caitlin caleb cameron camila candice carl carla carlos carmen carol caroline carolyn
    casey cassandra catherine cathy cecilia cedric celine chad charles charlie charlotte chelsea
    chen cheng chloe chris christian christina christine christopher chuck claire clara claudia
    clive colin connor conor cora craig cristina cynthia dan dana daniel daniela danielle danny
    daria darius darren dave david dawn dean deb debbie deborah declan deepak deepika denise
    dennis derek desmond devon diana diane diego dimitri dinesh divya dmitri dominic don donald
    donna doug douglas drew duncan dylan ed eddie edgar edith eduardo edward eileen elaine elena
    eli elias elijah elisa elizabeth ella ellen ellie emeka emil emily emma emmanuel enrique eric
    erica erik erin ernesto esther ethan eugene eva evan evelyn fabian farah fatima felipe felix
    fernando fiona florence frances francesca francesco francis francisco frank franz fred
    frederick freya gabe gabriel gabriela gareth gary gavin gemma geoff geoffrey george georgia
    gerald gina giovanni giulia glen glenn gloria gordon grace graham grant greg gregory greta
    guillermo gustavo hana hannah hans harold harper harry hassan heather hector heidi helen
    helena henry hiroshi holly howard hugo hui ian ibrahim ines ingrid irene isaac isabel
    isabella ivan jack jackie jacob jacqueline jade jake james jamie jan jane janet janice jared
    jasmine jason javier jay jean jeff jeffrey jen jenna jennifer jenny jeremy jerome jerry jess
    jessica jiahui jian jill jim jimmy jin joan joanna joanne joao joe joel johan johannes john
    johnny jon jonas jonathan jordan jorge jose josef joseph josh joshua joy juan judith judy
    julia julian julie juliet julio june justin kai kamala karen karim karl kate katherine
    kathleen kathryn kathy katie katrin kavya keith kelly ken kenji kenneth kevin khalid kim
    kimberly kirsten klaus kofi kristen kristin kumar kyle lakshmi lana lara larry laura lauren
    lawrence leah lee leila lena leo leon leonardo leslie liam lila lily lin linda lindsay lisa
    liz logan lorenzo louis louise lucas lucia lucy luis luisa luke lydia lynn madeline madison
    maggie malik manuel marco marcus margaret maria mariana marie marina mario mark marta martin
    mary mason mateo matt matthew maureen max maya megan mehmet mei melanie melissa mia michael
    michaela michelle miguel mike mila miles min mina miriam mohammed mohamed monica morgan
    muhammad nadia nancy naomi natalia natalie nate nathan neha neil nia nicholas nick nicola
    nicole nigel nikhil nina noah noor nora norman oliver olivia omar oscar owen pablo paige
    pamela paolo patricia patrick paul paula pedro peggy penny per peter phil philip phillip
    pierre pooja priya priyanka rachel rafael raj rajesh rajiv ralph ramon randy raquel ravi
    ray raymond rebecca reggie renee ricardo richard rick riley rita rob robert roberto robin
    rohan roger rohit ronald ronan rosa rose ross roy ruby russell ruth ryan sabrina sadia sally
    sam samantha samir samuel sandeep sandra sanjay sara sarah sasha scott sean sebastian seo
    serena sergei sergio seth shane shannon sharon shawn sheila shirley siddharth simon simone
    sofia sonia sophia sophie soren stacy stefan stephanie stephen steve steven stuart sue sunil
    susan suzanne sven sylvia takeshi tamara tanya tara ted teresa terry thabo theo theresa
    thomas tiffany tim timothy tina tobias todd tom tomas tommy tony tracy travis trevor troy
    tyler uma valentina valerie vanessa vera veronica victor victoria vikram vincent vinod
    violet vivek walter wanda wei wendy will william xavier yan yasmin yolanda yuki yusuf yvonne
    zach zachary zara zoe zoltan
    """.split()
)

# Capitalised words that start sentences or name things but are not people.
NOT_NAMES = frozenset(
    """
    i i'm i'll i've i'd we our us you your they their he she it its this that these those
    there here what when where why how who which yes no yeah yep nope ok okay sure right well
    so and but or also just hi hey hello thanks thank sorry great good perfect cool honestly
    frankly basically actually look listen anyway also totally absolutely one two three four
    five six seven eight nine ten monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    q1 q2 q3 q4 fy ceo cfo cto cio coo cmo cro ciso cpo vp svp evp head director manager lead
    team board committee legal procurement finance security it hr ops engineering sales
    marketing support product data analytics platform company customer customers client
    clients vendor vendors partner partners email call meeting notes subject re fw fwd from
    to cc bcc date sent attached regards best cheers mr mrs ms dr prof sir madam dear all
    everyone folks team happy let let's please if then after before during since until while
    because although though however maybe perhaps probably definitely obviously anyway
    """.split()
)

_ROLE_NOUN = (
    r"(?:director|manager|lead|officer|head|controller|counsel|engineer|analyst|architect|"
    r"administrator|admin|specialist|coordinator|consultant|buyer|owner|partner|principal|"
    r"president|founder|co-founder|treasurer|chair|chairman|chairwoman|chairperson|"
    r"superintendent|supervisor|scientist|designer|developer|advisor|strategist)"
)
TITLE_WORDS = (
    r"(?:chief\s+[a-z]+(?:\s+[a-z]+)?\s+officer|c[efiotsmrpa]o|ciso|cdao|"
    r"(?:senior\s+|executive\s+|group\s+|area\s+|regional\s+)?vice\s+president"
    r"(?:,?\s+(?:of\s+)?[\w&/-]+(?:\s+[\w&/-]+){0,2})?|"
    r"(?:s|e)?vp(?:,)?(?:\s+of)?(?:\s+[\w&/-]+){1,3}|"
    r"head\s+of\s+[\w&/-]+(?:\s+[\w&/-]+){0,2}|"
    r"(?:associate\s+|deputy\s+)?general\s+counsel|"
    r"(?:[\w&/-]+\s+){0,2}" + _ROLE_NOUN + r"(?:\s+of\s+[\w&/-]+(?:\s+[\w&/-]+){0,2})?)"
)

# Data, cloud and business software a customer may run (tech stack, not competitors).
TECH_STACK = (
    "Snowflake",
    "Databricks",
    "BigQuery",
    "Redshift",
    "Synapse",
    "Postgres",
    "PostgreSQL",
    "MySQL",
    "SQL Server",
    "Oracle",
    "MongoDB",
    "Kafka",
    "Airflow",
    "dbt",
    "Spark",
    "SAP",
    "NetSuite",
    "Workday",
    "Salesforce",
    "HubSpot",
    "Dynamics",
    "ServiceNow",
    "Jira",
    "Confluence",
    "Slack",
    "Microsoft Teams",
    "Okta",
    "Entra ID",
    "Azure AD",
    "AWS",
    "Azure",
    "GCP",
    "Google Cloud",
    "Kubernetes",
    "Epic",
    "Cerner",
    "Shopify",
    "Magento",
    "Zuora",
    "Stripe",
    "Excel",
    "SharePoint",
    "Google Workspace",
    "Office 365",
    "Microsoft 365",
    "Genesys",
    "Five9",
    "Twilio",
    "Marketo",
    "Segment",
    "Mixpanel",
    "Amplitude",
    "SSIS",
    "Informatica MDM",
    "Jenkins",
    "GitHub",
    "GitLab",
    "Terraform",
)

POSITIVE_WORDS = frozenset(
    """
    great love excellent excited exciting impressed impressive fantastic perfect helpful
    useful promising happy glad pleased awesome amazing nice good like liked valuable
    compelling confident keen eager thrilled appreciate appreciated agree agreed works
    solid smooth easy clear brilliant wonderful
    """.split()
)
NEGATIVE_WORDS = frozenset(
    """
    disappointed frustrated frustrating annoyed angry unhappy concerned concern worried
    worry problem problems issue issues broken fail failed failing failure bad terrible awful
    expensive overpriced confusing difficult hard slow skeptical sceptical unacceptable
    risky risk hate hated unfortunately poor useless cancel cancelling cancelled churn
    escalate escalation complaint complain upset painful pain nightmare mess
    """.split()
)

NEGATION = re.compile(
    r"\b(?:no|not|never|n't|without|nobody|nothing|none|neither|nor|cannot|can't|won't|"
    r"don't|doesn't|didn't|isn't|aren't|wasn't|weren't|haven't|hasn't|hadn't|shouldn't)\b"
)
HEDGE = re.compile(
    r"\b(?:maybe|perhaps|might|may be|possibly|probably|hopefully|i think|i guess|"
    r"i suppose|not sure|potentially|in theory|ideally|hypothetically|if we|could be)\b"
)

# What kind of product a competitor or a described problem points to, in words a
# catalogue line's aliases and keywords are likely to use. Market knowledge, so a
# conversation that never names our product can still be placed on a catalogue line.
CATEGORY_WORDS = {
    "integration": "data integration ETL pipelines connectors data ingestion replication CDC",
    "analytics": "BI dashboards reporting self-service analytics KPI scorecards",
    "compliance": "compliance monitoring SOC 2 audit logs access reviews audit readiness evidence collection",
    "support": "support chatbot ticket deflection agent assist virtual agent customer service automation",
}
# Vendors that compete with the catalogue's kinds of products, by the kind they point to.
COMPETITORS_BY_CATEGORY = {
    "integration": (
        "Fivetran",
        "Informatica",
        "Azure Data Factory",
        "Matillion",
        "Airbyte",
        "Stitch",
        "Talend",
        "Qlik Replicate",
        "Hevo",
        "Boomi",
        "MuleSoft",
        "AWS Glue",
        "Striim",
        "Debezium",
        "Rivery",
    ),
    "analytics": (
        "Tableau",
        "Power BI",
        "Looker",
        "Qlik",
        "ThoughtSpot",
        "Domo",
        "Sigma",
        "Mode",
        "Metabase",
        "Sisense",
        "MicroStrategy",
    ),
    "compliance": (
        "Vanta",
        "Drata",
        "Secureframe",
        "OneTrust",
        "Splunk",
        "Datadog",
        "Sumo Logic",
        "Sentinel",
        "Microsoft Sentinel",
        "Elastic",
        "SailPoint",
        "Saviynt",
        "CyberArk",
        "AuditBoard",
        "Hyperproof",
    ),
    "support": (
        "Zendesk",
        "Intercom",
        "Ada",
        "Forethought",
        "Freshdesk",
        "Kore.ai",
        "LivePerson",
        "Salesforce Service Cloud",
        "Einstein",
        "Gorgias",
        "Kustomer",
        "Yellow.ai",
        "Cognigy",
        "Sierra",
        "Decagon",
    ),
}
COMPETITOR_CATEGORY = {
    name: category for category, names in COMPETITORS_BY_CATEGORY.items() for name in names
}
CATEGORY_PHRASES = (
    (
        re.compile(
            r"\b(?:get|getting|move|moving|load|loading|pull|pulling|sync|syncing|land|landing|feed|feeding|bring|bringing)\b.{0,50}\bdata\b.{0,50}\binto\b|\binto (?:snowflake|databricks|bigquery|redshift|the (?:data )?warehouse|the lake(?:house)?)\b|\b(?:nightly|batch) (?:jobs?|loads?|extracts?)\b|\bextracts?\b.{0,30}\b(?:break|fail|late)"
        ),
        "integration",
    ),
    (
        re.compile(
            r"\b(?:dashboards?|scorecards?|(?:published |monthly |weekly )?reports?|reporting|kpis?|visuali[sz]ations?|charts?)\b"
        ),
        "analytics",
    ),
    (
        re.compile(
            r"\b(?:audit(?:or|ors|s)?|soc ?2|iso ?27001|hipaa|access reviews?|pen ?test|compliance|evidence)\b"
        ),
        "compliance",
    ),
    (
        re.compile(
            r"\b(?:tickets?|support (?:team|volume|queue|agents?)|contact (?:centre|center)|chat ?bots?|deflect\w*|wismo|customer service|call volumes?|first response)\b"
        ),
        "support",
    ),
)


def any_of(names: tuple[str, ...] | list[str]) -> re.Pattern[str]:
    """One pattern for a list of names, longest first, matched as whole words."""
    ordered = sorted(names, key=len, reverse=True)
    return re.compile("(?<![\\w-])(?:" + "|".join(re.escape(n) for n in ordered) + ")(?![\\w-])")


COMPETITOR_PATTERN = any_of(list(COMPETITOR_CATEGORY))
TECH_PATTERN = any_of(TECH_STACK)
