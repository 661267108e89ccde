"""Products named in a conversation when the workspace has no catalogue.

With no catalogue nothing says which words are products, yet the caller should hear
which ones were talked about. A product is taken to be a capitalised name (up to four
words) right after words of buying interest: "we're looking at Lumen Pipelines", "a
trial of Acme Vault", "pricing for Relay and Relay Pro". Competitors, people of the
conversation, the account itself and calendar words are left out. Such mentions are
recorded with no product line, so they can create nothing.
"""

from __future__ import annotations

import re

from plans.extraction.rules.lexicon import COMPETITOR_PATTERN
from plans.extraction.rules.text import Sentence
from plans.extraction.signals import ProductMention

NAME = r"[A-Z][A-Za-z0-9]*(?:[ -][A-Z][A-Za-z0-9]*){0,3}"
NAMED_AFTER_INTEREST = re.compile(
    r"(?i:\b(?:looking at|look at|evaluating|considering|interested in|trial(?:l)?ing|"
    r"piloting|testing|buying|purchasing|rolling out|deploying|implementing|switching to|"
    r"moving to|(?:a |the )?(?:poc|pilot|trial|demo|quote|pricing|proposal|licen[cs]es?) "
    r"(?:of|for|on))) (?:the |your |a |an )?"
    rf"(?P<names>{NAME}(?:(?:, and |, or |, | and | or ){NAME})*)"
)
LIST_SEPARATOR = re.compile(r", and |, or |, | and | or ")
NOT_PRODUCTS = {
    *"january february march april may june july august september october november december".split(),
    *"monday tuesday wednesday thursday friday saturday sunday q1 q2 q3 q4".split(),
    *"i we you they it this that the our your their".split(),
}


def named_products(
    sentences: list[Sentence], people: list[str], account: str
) -> list[ProductMention]:
    """One mention per product name, in the order first named."""
    excluded = {account.casefold(), *NOT_PRODUCTS}
    for person in people:
        excluded |= {person.casefold(), *(part.casefold() for part in person.split())}
    found: dict[str, ProductMention] = {}
    for sentence in sentences:
        if sentence.signature:
            continue
        for match in NAMED_AFTER_INTEREST.finditer(sentence.text):
            for name in LIST_SEPARATOR.split(match.group("names")):
                key = name.casefold()
                if key in excluded or key in found or COMPETITOR_PATTERN.search(name):
                    continue
                found[key] = ProductMention(
                    text=name, product_line=None, interest=0.5, quote=sentence.text, confidence=0.5
                )
    return list(found.values())
