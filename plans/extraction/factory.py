"""Choose the extractor from settings: Claude when an API key is configured (falling back
to the rules on failure), the rule-based extractor otherwise."""

from __future__ import annotations

from app.settings import Settings
from plans.extraction.port import Extractor
from plans.extraction.rules.extractor import RuleExtractor


def build_extractor(settings: Settings) -> Extractor:
    rules = RuleExtractor()
    if settings.ANTHROPIC_API_KEY is None:
        return rules
    from plans.extraction.claude import ClaudeExtractor

    return ClaudeExtractor.from_settings(settings, fallback=rules)
