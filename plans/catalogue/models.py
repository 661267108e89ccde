"""Product lines and how text is matched to them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Key = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z][a-z0-9_]{0,99}$")]
Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=100)]


class ProductLine(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Key
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    aliases: list[Phrase] = Field(default_factory=list, max_length=50)
    keywords: list[Phrase] = Field(default_factory=list, max_length=200)


class Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    product_lines: list[ProductLine] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def _unique_keys(self) -> Catalogue:
        keys = [line.key for line in self.product_lines]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise ValueError(f"product line keys must be unique; repeated: {duplicates}")
        return self

    def line(self, key: str) -> ProductLine | None:
        return next((line for line in self.product_lines if line.key == key), None)

    @cached_property
    def matcher(self) -> CatalogueMatcher:
        return CatalogueMatcher.of(self)


@dataclass(frozen=True)
class CatalogueHit:
    key: str
    phrase: str
    start: int
    end: int
    strong: bool  # a name or alias (a keyword alone is weaker evidence)


WORD = re.compile(r"[A-Za-z0-9]+")


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("es") and word[-3] in "sxz":
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass(frozen=True)
class _Phrase:
    words: tuple[str, ...]  # folded, last word singular
    key: str
    strong: bool
    exact_case: tuple[str, ...] | None  # short all-caps phrases (BI, CDC) match in capitals only


@dataclass(frozen=True)
class CatalogueMatcher:
    """Finds catalogue phrases by words, so the cost grows with the text, not with the
    size of the catalogue. Case is ignored except for short all-caps phrases (BI, CDC,
    SOC 2), a plural last word matches its singular, and hyphens count as spaces."""

    by_first_word: dict[str, tuple[_Phrase, ...]]

    @classmethod
    def of(cls, catalogue: Catalogue) -> CatalogueMatcher:
        index: dict[str, list[_Phrase]] = {}
        for line in catalogue.product_lines:
            entries = [(p, True) for p in (line.name, *line.aliases)] + [
                (p, False) for p in line.keywords
            ]
            for phrase, strong in entries:
                raw = WORD.findall(phrase)
                if not raw:
                    continue
                words = tuple(w.lower() for w in raw[:-1]) + (_singular(raw[-1].lower()),)
                exact = (
                    tuple(raw) if phrase.replace(" ", "").isupper() and len(phrase) <= 6 else None
                )
                index.setdefault(words[0], []).append(_Phrase(words, line.key, strong, exact))
        ordered = {
            first: tuple(sorted(phrases, key=lambda p: -len(p.words)))
            for first, phrases in index.items()
        }
        return cls(ordered)

    def find(self, text: str) -> list[CatalogueHit]:
        """Every catalogue phrase in `text`, left to right, longest first, no overlaps."""
        tokens = [(m.group(0), m.start(), m.end()) for m in WORD.finditer(text)]
        folded = [word.lower() for word, _, _ in tokens]
        hits: list[CatalogueHit] = []
        position = 0
        while position < len(tokens):
            match = self._match_at(tokens, folded, position)
            if match is None:
                position += 1
                continue
            phrase, length = match
            start, end = tokens[position][1], tokens[position + length - 1][2]
            hits.append(CatalogueHit(phrase.key, text[start:end], start, end, phrase.strong))
            position += length
        return hits

    def _match_at(
        self, tokens: list[tuple[str, int, int]], folded: list[str], position: int
    ) -> tuple[_Phrase, int] | None:
        candidates = self.by_first_word.get(folded[position]) or self.by_first_word.get(
            _singular(folded[position])
        )
        for phrase in candidates or ():
            length = len(phrase.words)
            window = folded[position : position + length]
            if len(window) < length:
                continue
            if tuple(window[:-1]) != phrase.words[:-1] or _singular(window[-1]) != phrase.words[-1]:
                continue
            if (
                phrase.exact_case
                and tuple(t[0] for t in tokens[position : position + length]) != phrase.exact_case
            ):
                continue
            return phrase, length
        return None
