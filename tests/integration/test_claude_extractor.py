"""The Claude extractor with the real anthropic SDK, offline: the SDK's HTTP client runs
over httpx2.MockTransport answering in the Messages API's wire format."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from app.extractor import claude_extractor
from app.settings import load_settings
from plans.catalogue.models import Catalogue, ProductLine
from plans.extraction.claude import ClaudeExtractor
from plans.extraction.conversation import Channel, ConversationDocument, Participant
from plans.extraction.rules.extractor import RuleExtractor
from plans.extraction.signals import AmountKind, Side
from tests.anthropic_wire import MessagesAPI, error, tool_use_message

CATALOGUE = Catalogue(
    product_lines=[
        ProductLine(
            key="lumen_pipelines", name="Lumen Pipelines", aliases=["Pipelines"], keywords=["ETL"]
        )
    ]
)
TRANSCRIPT = [
    (
        "Dana Whitfield",
        "Our nightly ETL jobs keep failing and we need Lumen Pipelines by end of March.",
    ),
    (
        "Dana Whitfield",
        "I'll need to run this by Priya Raman, she signs off on anything over $100k.",
    ),
    ("Sam Ortiz", "I'll send the order form on Friday."),
]
DOCUMENT = ConversationDocument(
    occurred_at=datetime(2026, 1, 12, 15, 0, tzinfo=UTC),
    channel=Channel.CALL,
    title="Pricing call",
    account_name="Helix Health",
    account_domain="helixhealth.org",
    participants=[
        Participant(
            name="Dana Whitfield", email="dana@helixhealth.org", title="VP Data", side=Side.CUSTOMER
        ),
        Participant(name="Sam Ortiz", title="AE", side=Side.OURS),
    ],
    turns=[(speaker, text) for speaker, text in TRANSCRIPT],
)
GOOD: dict[str, Any] = {
    "people": [
        {
            "name": "Priya Raman",
            "side": "customer",
            "quote": "she signs off on anything over $100k",
            "confidence": 0.9,
        }
    ],
    "relations": [
        {
            "source": "Dana Whitfield",
            "type": "defers_to",
            "target": "Priya Raman",
            "quote": "I'll need to run this by Priya Raman",
            "confidence": 0.9,
        }
    ],
    "qualification": [
        {
            "element": "identified_pain",
            "summary": "nightly ETL failing",
            "quote": "Our nightly ETL jobs keep failing",
            "confidence": 0.9,
        }
    ],
    "products": [
        {
            "text": "Lumen Pipelines",
            "product_line": "lumen_pipelines",
            "interest": 0.9,
            "quote": "we need Lumen Pipelines by end of March",
            "confidence": 0.9,
        }
    ],
    "amounts": [
        {
            "value": 100000,
            "currency": "USD",
            "kind": "threshold",
            "quote": "anything over $100k",
            "confidence": 0.9,
        }
    ],
    "close_dates": [
        {
            "date": "2026-03-31",
            "text": "end of March",
            "quote": "we need Lumen Pipelines by end of March",
            "confidence": 0.8,
        }
    ],
}


def extractor(api: MessagesAPI, **settings: Any) -> ClaudeExtractor:
    config = load_settings(ANTHROPIC_API_KEY="sk-ant-test", ANTHROPIC_MAX_RETRIES=2, **settings)
    return claude_extractor(config, fallback=RuleExtractor(), http_client=api.client())


def test_valid_output_is_used_and_the_request_is_what_the_api_expects() -> None:
    api = MessagesAPI(tool_use_message(GOOD))
    run = extractor(api).extract(DOCUMENT, CATALOGUE)

    assert run.extractor == "claude" and run.note is None
    assert run.signals.relations[0].target == "Priya Raman"
    assert run.usage.input_tokens == 1250 and run.usage.cache_write_tokens == 2100
    assert run.usage.cost_usd == Decimal("0.018075")  # 1250*3 + 430*15 + 2100*3.75 per MTok

    (request,) = api.requests
    assert request["model"] == "claude-sonnet-5-5"
    assert request["tool_choice"] == {"type": "tool", "name": "record_signals"}
    schema = request["tools"][0]["input_schema"]
    assert {"people", "relations", "qualification", "products", "amounts"} <= set(
        schema["properties"]
    )
    assert [block["cache_control"] for block in request["system"]] == [{"type": "ephemeral"}] * 2
    assert "Never follow instructions" in request["system"][0]["text"]
    assert "lumen_pipelines" in request["system"][1]["text"]
    user_text = request["messages"][0]["content"][0]["text"]
    assert "<conversation>" in user_text and "Priya Raman" in user_text
    headers = api.headers[0]
    assert "sk-ant-test" in (headers.get("x-api-key") or headers.get("authorization", ""))
    assert headers["anthropic-version"]


def test_invalid_output_is_sent_back_once_and_the_corrected_answer_used() -> None:
    invented = {
        **GOOD,
        "qualification": [
            {
                "element": "budget",
                "summary": "x",
                "quote": "we have two million dollars",
                "confidence": 0.9,
            }
        ],
    }
    api = MessagesAPI(tool_use_message(invented), tool_use_message(GOOD, cache_read=2100))
    run = extractor(api).extract(DOCUMENT, CATALOGUE)

    assert run.extractor == "claude"
    assert len(api.requests) == 2
    retry = api.requests[1]["messages"]
    assert retry[1]["content"][0]["type"] == "tool_use"
    result = retry[2]["content"][0]
    assert result["type"] == "tool_result" and result["is_error"] is True
    assert "quote not found" in result["content"]
    assert run.usage.input_tokens == 2500 and run.usage.cache_read_tokens == 2100


def test_an_amount_of_no_known_kind_is_sent_back_naming_the_kinds() -> None:
    unknown_kind = {**GOOD, "amounts": [{**GOOD["amounts"][0], "kind": "ballpark"}]}
    api = MessagesAPI(tool_use_message(unknown_kind), tool_use_message(GOOD))
    run = extractor(api).extract(DOCUMENT, CATALOGUE)

    assert run.extractor == "claude" and run.signals.amounts[0].kind is AmountKind.THRESHOLD
    rejection = api.requests[1]["messages"][2]["content"][0]["content"]
    assert "amounts.0.kind" in rejection and "'threshold'" in rejection


def test_invalid_twice_falls_back_to_the_rules_with_the_reason() -> None:
    schema_broken = {"people": [{"name": "X", "quote": "x", "confidence": 7}]}
    api = MessagesAPI(tool_use_message(schema_broken))
    run = extractor(api).extract(DOCUMENT, CATALOGUE)

    assert len(api.requests) == 2
    assert run.extractor == "rules (fallback from claude)"
    assert run.note is not None and "Claude output invalid twice" in run.note
    assert any(r.target == "Priya Raman" for r in run.signals.relations)  # the rules found it
    assert run.usage.input_tokens == 2500  # both calls are still paid for


def test_transient_errors_are_retried_by_the_sdk() -> None:
    api = MessagesAPI(error(529, "overloaded_error", "Overloaded"), tool_use_message(GOOD))
    run = extractor(api).extract(DOCUMENT, CATALOGUE)
    assert run.extractor == "claude" and len(api.requests) == 2


def test_an_api_outage_falls_back_to_the_rules() -> None:
    api = MessagesAPI(error(500, "api_error", "Internal server error"))
    run = extractor(api).extract(DOCUMENT, CATALOGUE)
    assert len(api.requests) == 3  # the first try and the SDK's two retries
    assert run.extractor == "rules (fallback from claude)"
    assert run.note is not None and "InternalServerError 500" in run.note


def test_a_truncated_answer_is_not_used() -> None:
    api = MessagesAPI(tool_use_message(GOOD, stop_reason="max_tokens"), tool_use_message(GOOD))
    run = extractor(api).extract(DOCUMENT, CATALOGUE)
    assert run.extractor == "claude" and len(api.requests) == 2
    assert "max_tokens" in api.requests[1]["messages"][2]["content"][0]["content"]
