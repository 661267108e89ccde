"""Dates as people say them, resolved against when the conversation happened.

Conventions: "end of Q3" is the last day of that calendar quarter (a fiscal quarter when
the fiscal year's end month is known); "by March" / "in March" is the last day of March;
"in 90 days" counts from the conversation; "next year" alone has no date.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from plans.extraction.rules.numbers import SPELLED_NUMBERS

MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
MONTH = r"(?P<month>january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "fifteenth": 15,
    "twentieth": 20,
    "thirtieth": 30,
}
# "A couple of weeks", "a few months": counts that are not numbers, read as 2 and 3.
COUNT_WORDS = {**SPELLED_NUMBERS, "couple of": 2, "few": 3}
QUARTER_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
}


Resolver = Callable[[re.Match[str]], "tuple[date, str] | None"]


@dataclass(frozen=True)
class DateMention:
    date: date
    text: str
    start: int
    end: int
    precision: str  # day | month | quarter | year


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _next_month_on_or_after(reference: date, month: int) -> int:
    """The year in which `month` next comes (this year if it is this month or later)."""
    return reference.year if month >= reference.month else reference.year + 1


def _year(text: str | None, reference: date) -> int | None:
    if not text:
        return None
    value = int(text)
    return value + 2000 if value < 100 else value


def _count(text: str) -> int | None:
    text = text.lower().strip()
    if text.isdigit():
        return int(text)
    return COUNT_WORDS.get(text)


def quarter_end(year: int, quarter: int, fiscal_end_month: int = 12) -> date:
    """Last day of `quarter` of the fiscal year ending in `fiscal_end_month` of `year`."""
    offset = fiscal_end_month - 12  # months the fiscal year runs ahead/behind the calendar
    month = quarter * 3 + offset
    year_shift, month_index = divmod(month - 1, 12)
    return last_day(year + year_shift, month_index + 1)


class DateReader:
    def __init__(self, reference: date, fiscal_end_month: int = 12) -> None:
        self.reference = reference
        self.fiscal_end_month = fiscal_end_month

    def find(self, text: str) -> list[DateMention]:
        found: list[DateMention] = []
        lowered = text.lower()
        for pattern, resolve in self._rules():
            for match in pattern.finditer(lowered):
                if any(
                    m.start <= match.start() < m.end or match.start() <= m.start < match.end()
                    for m in found
                ):
                    continue
                resolved = resolve(match)
                if resolved is None:
                    continue
                when, precision = resolved
                found.append(
                    DateMention(
                        when,
                        text[match.start() : match.end()],
                        match.start(),
                        match.end(),
                        precision,
                    )
                )
        return sorted(found, key=lambda m: m.start)

    def _rules(self) -> list[tuple[re.Pattern[str], Resolver]]:
        ref = self.reference
        rules: list[tuple[str, Resolver]] = [
            (r"\b(?P<y>20\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b", self._iso),
            (
                rf"\b(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}(?:,?\s+(?P<y>20\d\d))?\b",
                self._day_month,
            ),
            (
                rf"\b{MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>20\d\d))?\b",
                self._day_month,
            ),
            (
                r"\b(?:the\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)\s+of\s+next\s+month\b",
                self._day_next_month,
            ),
            (
                r"\b(?:end|close)\s+of\s+(?:the\s+)?(?P<fiscal>fiscal\s+|financial\s+)?(?:q(?P<q>[1-4])|(?P<qw>first|second|third|fourth)\s+quarter)(?:\s+(?:of\s+)?(?:fy\s?)?(?P<y>(?:20)?\d\d))?\b",
                self._quarter,
            ),
            (
                r"\b(?P<fiscal>fiscal\s+|fy\s?)?q(?P<q>[1-4])(?:\s+(?:of\s+)?(?:fy\s?)?(?P<y>(?:20)?\d\d))?\b",
                self._quarter,
            ),
            (
                r"\b(?:in\s+|by\s+)?the\s+(?P<qw>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter(?:\s+of\s+(?P<y>20\d\d))?\b",
                self._quarter,
            ),
            (
                r"\b(?:end\s+of\s+|by\s+)?(?:the\s+|this\s+)?quarter[-\s]?end\b|\bend\s+of\s+(?:the|this)\s+quarter\b",
                lambda m: (self._current_quarter_end(0), "quarter"),
            ),
            (
                r"\b(?:end\s+of\s+)?next\s+quarter\b",
                lambda m: (self._current_quarter_end(1), "quarter"),
            ),
            (
                r"\b(?:end\s+of\s+(?:the\s+|this\s+)?fiscal\s+year|fiscal\s+year[-\s]end|(?:before|when)\s+the\s+fiscal\s+year\s+(?:closes|ends)|fy[-\s]?end|end\s+of\s+(?:our\s+)?fy)\b",
                self._fiscal_year_end,
            ),
            (
                r"\b(?:end\s+of\s+(?:the\s+|this\s+)?year|year[-\s]end|end\s+of\s+(?:the\s+)?calendar\s+year)\b",
                lambda m: (date(ref.year, 12, 31), "year"),
            ),
            (r"\bend\s+of\s+(?P<y>20\d\d)\b", lambda m: (date(int(m.group("y")), 12, 31), "year")),
            (
                r"\b(?:in|by|until|before|through|from|since|during)\s+(?P<month>may)(?:\s+(?P<y>20\d\d))?\b(?P<part>)",
                self._month,
            ),
            (
                rf"\b(?:(?P<part>early|mid|late|end\s+of|beginning\s+of|start\s+of)\s+)?{MONTH}(?:\s+(?P<y>20\d\d))?\b",
                self._month,
            ),
            (
                r"\b(?:in|within|inside)\s+(?:the\s+next\s+)?(?P<n>\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|thirty|sixty|ninety|couple\s+of|few)\s+(?P<unit>days?|weeks?|months?)\b",
                self._relative,
            ),
            (
                r"\bend\s+of\s+(?:the\s+|this\s+)?month\b",
                lambda m: (last_day(ref.year, ref.month), "month"),
            ),
            (r"\b(?:end\s+of\s+)?next\s+month\b", self._next_month),
            (
                r"\bnext\s+week\b",
                lambda m: (ref + timedelta(days=7 + (4 - ref.weekday()) % 7), "day"),
            ),
            (r"\btomorrow\b", lambda m: (ref + timedelta(days=1), "day")),
            (
                r"\b(?:(?P<next>next|this|coming)\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday)\b",
                self._weekday,
            ),
        ]
        return [(re.compile(pattern), resolve) for pattern, resolve in rules]

    # -- resolvers ----------------------------------------------------------------

    def _iso(self, m: re.Match[str]) -> tuple[date, str] | None:
        try:
            return date(int(m.group("y")), int(m.group("m")), int(m.group("d"))), "day"
        except ValueError:
            return None

    def _day_month(self, m: re.Match[str]) -> tuple[date, str] | None:
        month = MONTHS[m.group("month").rstrip(".")]
        day = int(m.group("d"))
        year = _year(m.group("y"), self.reference) or _next_month_on_or_after(self.reference, month)
        try:
            when = date(year, month, day)
        except ValueError:
            return None
        if m.group("y") is None and when < self.reference - timedelta(days=14):
            when = when.replace(year=when.year + 1)
        return when, "day"

    def _day_next_month(self, m: re.Match[str]) -> tuple[date, str] | None:
        ref = self.reference
        year, month = (ref.year + 1, 1) if ref.month == 12 else (ref.year, ref.month + 1)
        try:
            return date(year, month, int(m.group("d"))), "day"
        except ValueError:
            return None

    def _quarter(self, m: re.Match[str]) -> tuple[date, str] | None:
        quarter = int(m.group("q")) if m.groupdict().get("q") else QUARTER_WORDS[m.group("qw")]
        fiscal = bool(m.groupdict().get("fiscal"))
        end_month = self.fiscal_end_month if fiscal else 12
        explicit_year = _year(m.groupdict().get("y"), self.reference)
        if explicit_year:
            return quarter_end(explicit_year, quarter, end_month), "quarter"
        for year in (self.reference.year, self.reference.year + 1, self.reference.year + 2):
            when = quarter_end(year, quarter, end_month)
            if when >= self.reference:
                return when, "quarter"
        return None

    def _current_quarter_end(self, ahead: int) -> date:
        ref = self.reference
        quarter = (ref.month - 1) // 3 + 1 + ahead
        year = ref.year + (quarter - 1) // 4
        quarter = (quarter - 1) % 4 + 1
        return quarter_end(year, quarter)

    def _fiscal_year_end(self, m: re.Match[str]) -> tuple[date, str]:
        year = _next_month_on_or_after(self.reference, self.fiscal_end_month)
        return last_day(year, self.fiscal_end_month), "month"

    def _month(self, m: re.Match[str]) -> tuple[date, str] | None:
        word = m.group("month").rstrip(".")
        if word == "may" and m.group("part") is None and m.group("y") is None:
            return None  # the verb; "in May", "by May" have their own rule
        month = MONTHS[word]
        year = _year(m.group("y"), self.reference) or _next_month_on_or_after(self.reference, month)
        part = (m.group("part") or "").replace(" ", "")
        if word == "may" and m.group(0).split()[0] in ("in", "by", "until", "before", "through"):
            part = ""
        if part in ("early", "beginningof", "startof"):
            return date(year, month, 10), "month"
        if part == "mid":
            return date(year, month, 15), "month"
        return last_day(year, month), "month"

    def _relative(self, m: re.Match[str]) -> tuple[date, str] | None:
        count = _count(re.sub(r"\s+", " ", m.group("n")))
        if count is None:
            return None
        unit = m.group("unit")
        if unit.startswith("day"):
            return self.reference + timedelta(days=count), "day"
        if unit.startswith("week"):
            return self.reference + timedelta(weeks=count), "day"
        month_index = self.reference.month - 1 + count
        year, month = self.reference.year + month_index // 12, month_index % 12 + 1
        return date(
            year, month, min(self.reference.day, calendar.monthrange(year, month)[1])
        ), "day"

    def _next_month(self, m: re.Match[str]) -> tuple[date, str]:
        ref = self.reference
        year, month = (ref.year + 1, 1) if ref.month == 12 else (ref.year, ref.month + 1)
        return last_day(year, month), "month"

    def _weekday(self, m: re.Match[str]) -> tuple[date, str]:
        target = WEEKDAYS.index(m.group("wd"))
        days = (target - self.reference.weekday()) % 7 or 7
        if m.group("next") == "next" and days < 7 and target <= self.reference.weekday():
            pass
        elif m.group("next") == "next" and days <= (6 - self.reference.weekday()):
            days += 7
        return self.reference + timedelta(days=days), "day"


FISCAL_END = re.compile(
    rf"(?:fiscal|financial)\s+year\s+(?:ends|closes|runs\s+to|finishes|is\s+over)\s+(?:on\s+|in\s+|at\s+the\s+end\s+of\s+)?(?:the\s+end\s+of\s+)?{MONTH}",
)
FISCAL_END_ALT = re.compile(
    rf"\b{MONTH}\s+(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:fiscal|financial)\s+year[-\s]end\b"
)


def fiscal_year_end_month(text: str) -> int:
    """The month the customer's fiscal year ends, if they say so; else December."""
    lowered = text.lower()
    match = FISCAL_END.search(lowered) or FISCAL_END_ALT.search(lowered)
    return MONTHS[match.group("month").rstrip(".")] if match else 12
