"""Choose the extractor from settings: Claude when an API key is configured (falling back
to the rules on failure), the rule-based extractor otherwise."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import anthropic

from app.settings import Settings
from plans.extraction.claude import ClaudeExtractor, Prices
from plans.extraction.port import Extractor
from plans.extraction.rules.extractor import RuleExtractor


def build_extractor(settings: Settings) -> Extractor:
    rules = RuleExtractor()
    if settings.ANTHROPIC_API_KEY is None:
        return rules
    return claude_extractor(settings, fallback=rules)


def claude_extractor(
    settings: Settings, fallback: Extractor, **client_options: Any
) -> ClaudeExtractor:
    """The Claude extractor the settings describe; `client_options` go to the Anthropic
    client (tests give it their HTTP transport)."""
    if settings.ANTHROPIC_API_KEY is None:
        raise ValueError("the Claude extractor needs ANTHROPIC_API_KEY")
    client = anthropic.Anthropic(
        api_key=settings.ANTHROPIC_API_KEY.get_secret_value(),
        base_url=settings.ANTHROPIC_BASE_URL,
        timeout=settings.ANTHROPIC_TIMEOUT_SECONDS,
        max_retries=settings.ANTHROPIC_MAX_RETRIES,
        **client_options,
    )
    prices = Prices(
        Decimal(str(settings.ANTHROPIC_PRICE_INPUT)),
        Decimal(str(settings.ANTHROPIC_PRICE_OUTPUT)),
        Decimal(str(settings.ANTHROPIC_PRICE_CACHE_WRITE)),
        Decimal(str(settings.ANTHROPIC_PRICE_CACHE_READ)),
    )
    return ClaudeExtractor(
        client, settings.ANTHROPIC_MODEL, settings.ANTHROPIC_MAX_TOKENS, prices, fallback
    )
