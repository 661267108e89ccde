"""The Claude extractor: the Messages API with one forced tool whose input schema is the
`Signals` model, so the answer is structured data, never free text to interpret.

- The long instructions (and the tool definition before them) are marked for prompt
  caching; the workspace's catalogue is a second cached block.
- The transcript is wrapped as data; nothing in it is obeyed. Whatever comes back is
  validated: against the schema, and every quote against the transcript. Items quoting
  text that tries to instruct an AI are dropped.
- Invalid output is sent back once with the validation error; a second failure, or an
  API failure after the SDK's own retries (429, 5xx, timeouts, connection errors), falls
  back to the rule-based extractor, and the reason is recorded with the conversation.
- Token usage and cost (at the configured prices) are returned with every run.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import anthropic
from pydantic import ValidationError

from plans.catalogue.models import Catalogue
from plans.extraction.conversation import ConversationDocument
from plans.extraction.port import ExtractionRun, Extractor, Usage
from plans.extraction.prompt import (
    INSTRUCTIONS,
    TOOL_DESCRIPTION,
    TOOL_NAME,
    render_catalogue,
    render_conversation,
)
from plans.extraction.rules.cues import INJECTION
from plans.extraction.signals import Item, QuoteNotFound, Signals, validate_against

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prices:
    """USD per million tokens."""

    input: Decimal
    output: Decimal
    cache_write: Decimal
    cache_read: Decimal

    def cost(self, usage: Usage) -> Decimal:
        total = (
            usage.input_tokens * self.input
            + usage.output_tokens * self.output
            + usage.cache_write_tokens * self.cache_write
            + usage.cache_read_tokens * self.cache_read
        )
        return (total / Decimal(1_000_000)).quantize(Decimal("0.000001"))


class InvalidOutput(ValueError):
    pass


class ClaudeExtractor:
    name = "claude"

    def __init__(
        self,
        client: anthropic.Anthropic,
        model: str,
        max_tokens: int,
        prices: Prices,
        fallback: Extractor,
    ) -> None:
        self.client = client
        self.model = model
        self.max_tokens = max_tokens
        self.prices = prices
        self.fallback = fallback

    def extract(self, conversation: ConversationDocument, catalogue: Catalogue) -> ExtractionRun:
        messages: list[dict[str, Any]] = [
            {
                "role": "user",
                "content": [{"type": "text", "text": render_conversation(conversation)}],
            }
        ]
        usage = Usage()
        problem = ""
        for attempt in (1, 2):
            try:
                response = self._send(messages, catalogue)
            except anthropic.APIError as exc:
                return self._fall_back(
                    conversation, catalogue, usage, f"Claude API failed: {_describe(exc)}"
                )
            usage = _add(usage, response.usage)
            try:
                signals, dropped = self._parse(response, conversation)
            except InvalidOutput as exc:
                problem = str(exc)
                logger.warning("Claude output rejected (attempt %s): %s", attempt, problem)
                messages += _retry_turn(response, problem)
                continue
            note = (
                f"{dropped} item(s) quoting instructions to an AI were dropped" if dropped else None
            )
            priced = _priced(usage, self.prices)
            return ExtractionRun(signals=signals, extractor=self.name, usage=priced, note=note)
        return self._fall_back(
            conversation, catalogue, usage, f"Claude output invalid twice ({problem[:300]})"
        )

    def _send(self, messages: list[dict[str, Any]], catalogue: Catalogue) -> Any:
        # Plain dicts in the API's shapes; the SDK's TypedDicts would add nothing here.
        return self.client.messages.create(  # type: ignore[call-overload]
            model=self.model,
            max_tokens=self.max_tokens,
            system=[
                {"type": "text", "text": INSTRUCTIONS, "cache_control": {"type": "ephemeral"}},
                {
                    "type": "text",
                    "text": render_catalogue(catalogue),
                    "cache_control": {"type": "ephemeral"},
                },
            ],
            tools=[
                {
                    "name": TOOL_NAME,
                    "description": TOOL_DESCRIPTION,
                    "input_schema": Signals.model_json_schema(),
                }
            ],
            tool_choice={"type": "tool", "name": TOOL_NAME},
            messages=messages,
        )

    def _parse(self, response: Any, conversation: ConversationDocument) -> tuple[Signals, int]:
        blocks = [
            b
            for b in response.content
            if getattr(b, "type", None) == "tool_use" and b.name == TOOL_NAME
        ]
        if not blocks:
            raise InvalidOutput(
                f"no {TOOL_NAME} tool call in the answer (stop reason {response.stop_reason})"
            )
        if response.stop_reason == "max_tokens":
            raise InvalidOutput("the answer was cut off at max_tokens; give fewer, shorter items")
        try:
            signals = Signals.model_validate(blocks[0].input)
        except ValidationError as exc:
            raise InvalidOutput(f"the tool input does not match the schema: {exc}") from None
        signals, dropped = _without_injected(signals)
        try:
            validate_against(signals, conversation.text)
        except QuoteNotFound as exc:
            raise InvalidOutput(f"{exc}; quote the conversation word for word") from None
        return signals, dropped

    def _fall_back(
        self, conversation: ConversationDocument, catalogue: Catalogue, usage: Usage, reason: str
    ) -> ExtractionRun:
        run = self.fallback.extract(conversation, catalogue)
        note = f"{reason}; the {run.extractor} extractor's result was used"
        logger.warning(note)
        return ExtractionRun(
            signals=run.signals,
            extractor=f"{run.extractor} (fallback from claude)",
            usage=_priced(usage, self.prices),
            note=note,
        )


def _without_injected(signals: Signals) -> tuple[Signals, int]:
    """Drop every item whose evidence is text that tries to instruct an AI."""
    dropped = 0
    cleaned: dict[str, Any] = {}
    for field_name in Signals.model_fields:
        value = getattr(signals, field_name)
        if isinstance(value, list):
            kept = [
                v for v in value if not (isinstance(v, Item) and INJECTION.search(v.quote.lower()))
            ]
            dropped += len(value) - len(kept)
            cleaned[field_name] = kept
        elif isinstance(value, Item) and INJECTION.search(value.quote.lower()):
            dropped += 1
            cleaned[field_name] = None
        else:
            cleaned[field_name] = value
    return Signals.model_construct(**cleaned), dropped


def _retry_turn(response: Any, problem: str) -> list[dict[str, Any]]:
    tool_use = next((b for b in response.content if getattr(b, "type", None) == "tool_use"), None)
    if tool_use is None:
        return [
            {"role": "assistant", "content": [{"type": "text", "text": "(no tool call)"}]},
            {
                "role": "user",
                "content": [{"type": "text", "text": f"Call {TOOL_NAME} exactly once. {problem}"}],
            },
        ]
    return [
        {
            "role": "assistant",
            "content": [
                {
                    "type": "tool_use",
                    "id": tool_use.id,
                    "name": tool_use.name,
                    "input": tool_use.input,
                }
            ],
        },
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": tool_use.id,
                    "is_error": True,
                    "content": f"Rejected: {problem}. Call {TOOL_NAME} again with corrected input.",
                }
            ],
        },
    ]


def _add(usage: Usage, reported: Any) -> Usage:
    return Usage(
        input_tokens=usage.input_tokens + (reported.input_tokens or 0),
        output_tokens=usage.output_tokens + (reported.output_tokens or 0),
        cache_read_tokens=usage.cache_read_tokens
        + (getattr(reported, "cache_read_input_tokens", 0) or 0),
        cache_write_tokens=usage.cache_write_tokens
        + (getattr(reported, "cache_creation_input_tokens", 0) or 0),
    )


def _priced(usage: Usage, prices: Prices) -> Usage:
    return Usage(
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        cache_read_tokens=usage.cache_read_tokens,
        cache_write_tokens=usage.cache_write_tokens,
        cost_usd=prices.cost(usage),
    )


def _describe(exc: anthropic.APIError) -> str:
    status = getattr(exc, "status_code", None)
    body = getattr(exc, "body", None)
    detail = json.dumps(body)[:200] if isinstance(body, dict) else str(exc)[:200]
    return f"{type(exc).__name__}{f' {status}' if status else ''}: {detail}"
