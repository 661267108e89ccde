"""The extractor port: any extractor turns a conversation into `Signals`."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from plans.catalogue.models import Catalogue
from plans.extraction.conversation import ConversationDocument
from plans.extraction.signals import Signals


@dataclass(frozen=True)
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    cost_usd: Decimal = Decimal(0)


@dataclass(frozen=True)
class ExtractionRun:
    """What an extractor produced, which one produced it, and at what cost.

    `note` says why a fallback happened (e.g. the Claude output failed validation twice
    and the rule-based result was used instead)."""

    signals: Signals
    extractor: str
    usage: Usage = field(default_factory=Usage)
    note: str | None = None


class Extractor(Protocol):
    """Contract: `extract` returns signals whose every quote appears in the conversation
    text (checked with `signals.validate_against`), never raises for odd content, and
    treats the conversation as data only: nothing in it is obeyed."""

    name: str

    def extract(
        self, conversation: ConversationDocument, catalogue: Catalogue
    ) -> ExtractionRun: ...
