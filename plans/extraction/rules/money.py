"""Amounts of money as people say them: "$120k", "€80,000", "1.2 million euros",
"two hundred grand", "a hundred and fifty thousand", "one-fifty" (after a stated scale)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import MAX_PREC, ROUND_HALF_EVEN, Context, Decimal, InvalidOperation

from plans.extraction.rules.numbers import SPELLED_NUMBERS

SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
CODES = {
    "usd": "USD",
    "dollars": "USD",
    "dollar": "USD",
    "bucks": "USD",
    "eur": "EUR",
    "euros": "EUR",
    "euro": "EUR",
    "gbp": "GBP",
    "pounds": "GBP",
    "quid": "GBP",
    "sterling": "GBP",
    "aud": "AUD",
    "cad": "CAD",
    "chf": "CHF",
    "sgd": "SGD",
    "inr": "INR",
    "jpy": "JPY",
    "nzd": "NZD",
    "sek": "SEK",
    "nok": "NOK",
    "dkk": "DKK",
}
PREFIX_CODES = {
    "a$": "AUD",
    "au$": "AUD",
    "c$": "CAD",
    "ca$": "CAD",
    "s$": "SGD",
    "nz$": "NZD",
    "us$": "USD",
}
SCALES = {
    "k": 1_000,
    "thousand": 1_000,
    "grand": 1_000,
    "m": 1_000_000,
    "mm": 1_000_000,
    "mn": 1_000_000,
    "million": 1_000_000,
    "mil": 1_000_000,
    "b": 1_000_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}
# "Half" counts as a number only in amounts ("a half million").
WORD_NUMBERS: dict[str, int | Decimal] = {**SPELLED_NUMBERS, "half": Decimal("0.5")}

NUMERIC = re.compile(
    r"(?P<prefix>(?:us|au|a|ca|c|s|nz)?\$|€|£|¥|₹|(?:usd|eur|gbp|aud|cad|chf|sgd)\s)?\s?"
    r"(?P<number>\d{1,3}(?:[,.\s]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>k|m|mm|mn|b|bn|thousand|grand|million|mil|billion)\b)?"
    r"(?:\s?(?P<code>usd|eur|gbp|aud|cad|chf|sgd|inr|jpy|nzd|sek|nok|dkk|dollars?|euros?|pounds|quid|bucks|sterling)\b)?",
    re.IGNORECASE,
)
_NUMBER_WORD = (
    r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|half|point)"
)
WORDS = re.compile(
    rf"\b(?P<words>(?:{_NUMBER_WORD}(?:[\s-]+(?:and[\s-]+)?|\b))+)"
    r"(?P<scale>thousand|grand|million|billion|k)\b"
    r"(?P<more>(?:[\s-]+(?:and[\s-]+)?(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)\b)*)"
    r"(?:\s+(?P<code>dollars?|euros?|pounds|quid|bucks))?",
    re.IGNORECASE,
)
# "between one and two million", "sixty to seventy-five K": the first number takes the
# scale of the second.
RANGE_START = re.compile(
    rf"\b(?:between\s+)?(?P<first>{_NUMBER_WORD}(?:[\s-]+{_NUMBER_WORD})*|\d+(?:\.\d+)?)\s+(?:and|to|-|or)\s+$",
    re.IGNORECASE,
)
DIFFERENCE_NEXT = re.compile(
    r"\s*(?:off|lower|higher|cheaper|more|less|over|under|difference|apart|discount)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Money:
    value: Decimal
    currency: str
    text: str
    start: int
    end: int
    explicit_currency: bool


def _words_value(words: str) -> Decimal | None:
    """'one point two' -> 1.2; 'a hundred and fifty' -> 150; 'seventy-five' -> 75."""
    integer, decimals = (words.lower().split("point", 1) + [""])[:2]
    whole = _integer_words(integer)
    if whole is None:
        return None
    fraction = ""
    for word in re.split(r"[\s-]+", decimals):
        if word and word in WORD_NUMBERS and WORD_NUMBERS[word] < 10:
            fraction += str(int(WORD_NUMBERS[word]))
    return Decimal(f"{int(whole)}.{fraction}") if fraction else whole


def _integer_words(words: str) -> Decimal | None:
    tokens = [w for w in re.split(r"[\s-]+", words) if w]
    for index, token in enumerate(tokens):
        if token == "and" and index > 0 and tokens[index - 1] not in ("hundred", "thousand"):
            tokens = tokens[index + 1 :]  # "one and two (million)": a range; keep the upper end
            break
    current = Decimal(0)
    seen = False
    for word in tokens:
        if word in ("", "and"):
            continue
        value = WORD_NUMBERS.get(word)
        if value is None:
            return None
        seen = True
        if word == "hundred":
            current = (current or Decimal(1)) * 100
        elif word == "half":
            current = (current or Decimal(1)) * Decimal("0.5")
        else:
            current += value
    return current if seen else None


NOT_MONEY_NEXT = re.compile(
    r"\s*(?:[a-z-]+s|people|staff|data|traffic|volume|headcount|stores|sites|seats)\b"
)
MONEY_NEXT = re.compile(
    r"\s*(?:a\s+year|per|annual|annually|a\s+month|budget|contract|deal|spend|ARR|ACV|total|"
    r"upfront|in\s+(?:budget|savings|revenue|costs?|spend)|savings|revenue|dollars|euros|pounds)\b",
    re.IGNORECASE,
)


def _counts_things(text: str, end: int) -> bool:
    """'2 billion rows', '18 thousand employees': a count, not an amount of money."""
    rest = text[end : end + 40]
    return bool(NOT_MONEY_NEXT.match(rest)) and not MONEY_NEXT.match(rest)


def find_money(text: str, default_currency: str = "USD") -> list[Money]:
    found: list[Money] = []
    for match in NUMERIC.finditer(text):
        prefix, scale, code = match.group("prefix"), match.group("scale"), match.group("code")
        if not (prefix or scale or code):
            continue
        if scale and scale.lower() in ("m", "b") and not prefix and not code:
            continue  # "5m" alone is as likely minutes or metres
        raw = match.group("number")
        number = _parse_number(raw)
        if number is None:
            continue
        multiplier = SCALES.get(scale.lower(), 1) if scale else 1
        if (
            not prefix
            and not code
            and (scale or "").lower()
            not in ("k", "thousand", "grand", "million", "mil", "billion", "mm", "mn", "bn")
        ):
            continue
        if not prefix and not code and number * multiplier < 1_000:
            continue
        if not prefix and not code and _counts_things(text, match.end()):
            continue
        currency = _currency(prefix, code) or default_currency
        found.append(
            Money(
                _rounded_to_cents(number * multiplier),
                currency,
                match.group(0).strip(),
                match.start(),
                match.end(),
                bool(prefix or code),
            )
        )
    for match in WORDS.finditer(text):
        if any(m.start <= match.start() < m.end for m in found):
            continue
        value = _words_value(match.group("words"))
        if value is None:
            continue
        scale = SCALES[match.group("scale").lower()]
        more = _integer_words(match.group("more").lower()) if match.group("more").strip() else None
        code = match.group("code")
        if not code and _counts_things(text, match.end()):
            continue
        if more:
            value = value + more / scale
        currency = _currency(None, code) or default_currency
        found.append(
            Money(
                _rounded_to_cents(value * scale),
                currency,
                match.group(0).strip(),
                match.start(),
                match.end(),
                bool(code),
            )
        )
    return [m for m in sorted(found, key=lambda m: m.start) if not _is_difference(text, m)]


def _is_difference(text: str, money: Money) -> bool:
    """'seventeen thousand off', 'twenty grand lower': a gap, not an amount."""
    return bool(DIFFERENCE_NEXT.match(text[money.end : money.end + 20])) and not re.match(
        r"\s*(?:over|under)\s+(?:\w+\s+){0,2}(?:years?|months?|term|three|two|the)",
        text[money.end : money.end + 30],
        re.IGNORECASE,
    )


def _parse_number(raw: str) -> Decimal | None:
    cleaned = raw.replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", cleaned):  # 1.200.000,50 (European)
        cleaned = cleaned.replace(".", "").replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


CENT = Decimal("0.01")
TENTH = Decimal("0.1")
# Precision wide enough for any figure a transcript can hold, so rounding a 30-digit
# number to the cent cannot raise; Amount's own bound (1e12) is what refuses such a figure.
ROUNDING = Context(prec=MAX_PREC, rounding=ROUND_HALF_EVEN)


def _rounded_to_cents(value: Decimal) -> Decimal:
    """`value` to the cent, halves to even, in the form amounts had when they were read
    through a float: "120000.0", "150.5", "12.25". Plan evidence and stored signals show
    that text."""
    cents = value.quantize(CENT, context=ROUNDING)
    tenths = cents.quantize(TENTH, context=ROUNDING)
    return tenths if tenths == cents else cents


def _currency(prefix: str | None, code: str | None) -> str | None:
    if code:
        return CODES.get(code.lower())
    if prefix and prefix.strip().lower() in CODES:
        return CODES[prefix.strip().lower()]
    if prefix:
        return PREFIX_CODES.get(prefix.lower()) or SYMBOLS.get(prefix[-1])
    return None
