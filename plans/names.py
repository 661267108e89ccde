"""Person-name matching: normalisation, nicknames and initials.

Used to match a person mentioned in a conversation to a known stakeholder: "Mike" is
Michael, "J.R. Smith" is John Robert Smith, "Dr. Priya Raman" is Priya Raman.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "mx"}
SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "phd", "md"}

# Common English nicknames -> formal first names (both directions are checked).
NICKNAMES: dict[str, set[str]] = {
    "alex": {"alexander", "alexandra", "alexis"},
    "al": {"albert", "alan", "alfred"},
    "andy": {"andrew"},
    "drew": {"andrew"},
    "tony": {"anthony"},
    "ben": {"benjamin"},
    "bill": {"william"},
    "will": {"william"},
    "liam": {"william"},
    "billy": {"william"},
    "bob": {"robert"},
    "rob": {"robert"},
    "bobby": {"robert"},
    "bert": {"robert", "albert"},
    "chris": {"christopher", "christine", "christina"},
    "dan": {"daniel"},
    "danny": {"daniel"},
    "dave": {"david"},
    "ed": {"edward", "edwin"},
    "eddie": {"edward"},
    "fred": {"frederick"},
    "greg": {"gregory"},
    "jim": {"james"},
    "jimmy": {"james"},
    "jamie": {"james"},
    "joe": {"joseph"},
    "joey": {"joseph"},
    "jon": {"jonathan"},
    "john": {"jonathan"},
    "jack": {"john"},
    "johnny": {"john"},
    "ken": {"kenneth"},
    "larry": {"lawrence"},
    "matt": {"matthew"},
    "mike": {"michael"},
    "mick": {"michael"},
    "nick": {"nicholas"},
    "pat": {"patrick", "patricia"},
    "pete": {"peter"},
    "phil": {"philip", "phillip"},
    "rich": {"richard"},
    "rick": {"richard"},
    "dick": {"richard"},
    "ron": {"ronald"},
    "sam": {"samuel", "samantha"},
    "steve": {"steven", "stephen"},
    "stu": {"stuart"},
    "ted": {"edward", "theodore"},
    "tom": {"thomas"},
    "tommy": {"thomas"},
    "tim": {"timothy"},
    "vince": {"vincent"},
    "zach": {"zachary"},
    "josh": {"joshua"},
    "abby": {"abigail"},
    "becky": {"rebecca"},
    "beth": {"elizabeth"},
    "liz": {"elizabeth"},
    "lizzie": {"elizabeth"},
    "betty": {"elizabeth"},
    "cathy": {"catherine", "cathleen"},
    "kate": {"katherine", "catherine", "kathryn"},
    "katie": {"katherine", "kathryn"},
    "kathy": {"katherine", "kathleen"},
    "jen": {"jennifer"},
    "jenny": {"jennifer"},
    "jess": {"jessica"},
    "jo": {"joanna", "josephine", "joanne"},
    "meg": {"margaret", "megan"},
    "maggie": {"margaret"},
    "peggy": {"margaret"},
    "mandy": {"amanda"},
    "nat": {"natalie", "nathan"},
    "nate": {"nathan", "nathaniel"},
    "sue": {"susan", "suzanne"},
    "suzy": {"susan"},
    "vicky": {"victoria"},
    "tori": {"victoria"},
    "val": {"valerie"},
    "deb": {"deborah"},
    "debbie": {"deborah"},
    "pam": {"pamela"},
    "sandy": {"sandra"},
    "trish": {"patricia"},
    "gabe": {"gabriel"},
    "gabby": {"gabriela", "gabrielle"},
    "max": {"maximilian", "maxwell"},
    "lena": {"helena", "magdalena"},
    "raj": {"rajesh", "rajiv"},
    "fran": {"francesca", "frances"},
}


NICKNAMES_OF: dict[str, set[str]] = {}
for _nick, _formals in NICKNAMES.items():
    for _formal in _formals:
        NICKNAMES_OF.setdefault(_formal, set()).add(_nick)


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower case, accents removed, punctuation to spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^\w\s]", " ", plain).strip()


def name_tokens(name: str) -> list[str]:
    return list(_name_tokens(name))


@lru_cache(maxsize=4096)
def _name_tokens(name: str) -> tuple[str, ...]:
    tokens = [t for t in re.split(r"[\s.]+", fold(name.replace(".", ". "))) if t]
    while tokens and tokens[0] in HONORIFICS:
        tokens = tokens[1:]
    while tokens and tokens[-1] in SUFFIXES:
        tokens = tokens[:-1]
    return tuple(tokens)


def same_first_name(first: str, second: str) -> bool:
    if first == second:
        return True
    if len(first) == 1 or len(second) == 1:
        return first[0] == second[0]
    return second in NICKNAMES.get(first, set()) or first in NICKNAMES.get(second, set())


@lru_cache(maxsize=16384)
def names_match(mention: str, known: str) -> bool:
    """Could `mention` be the person called `known`? Requires the last names to agree
    when both are given; a first name alone (or a nickname, or an initial) matches on the
    first name."""
    said, full = name_tokens(mention), name_tokens(known)
    if not said or not full:
        return False
    if said == full:
        return True
    if len(said) == 1:
        return same_first_name(said[0], full[0])
    if len(full) == 1:
        return same_first_name(said[0], full[0])
    if said[-1] != full[-1]:
        return False
    # "J.R. Smith" ~ "John Robert Smith"; "Mike Smith" ~ "Michael Smith"
    return same_first_name(said[0], full[0])
