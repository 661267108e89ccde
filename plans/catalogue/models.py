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


@dataclass(frozen=True)
class CatalogueMatcher:
    patterns: tuple[tuple[str, re.Pattern[str], bool], ...]

    @classmethod
    def of(cls, catalogue: Catalogue) -> CatalogueMatcher:
        patterns: list[tuple[str, re.Pattern[str], bool]] = []
        for line in catalogue.product_lines:
            for phrase in (line.name, *line.aliases):
                patterns.append((line.key, _phrase_pattern(phrase), True))
            for phrase in line.keywords:
                patterns.append((line.key, _phrase_pattern(phrase), False))
        return cls(tuple(patterns))

    def find(self, text: str) -> list[CatalogueHit]:
        """Every catalogue phrase in `text`; overlapping hits keep the longest."""
        hits = [
            CatalogueHit(key, match.group(0), match.start(), match.end(), strong)
            for key, pattern, strong in self.patterns
            for match in pattern.finditer(text)
        ]
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        kept: list[CatalogueHit] = []
        for hit in hits:
            if kept and hit.start < kept[-1].end:
                continue
            kept.append(hit)
        return kept


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in phrase.split()]
    if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]  # "connectors" also matches "connector"
    body = r"[\s-]+".join(words)
    # Short all-caps phrases (BI, CDC, SOC 2) must match in capitals; others any case.
    if phrase.replace(" ", "").isupper() and len(phrase) <= 6:
        return re.compile(rf"(?<![\w-]){body}(?![\w-])")
    return re.compile(rf"(?<![\w-]){body}(?:s|es)?(?![\w-])", re.IGNORECASE)
