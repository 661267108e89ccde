"""Answers in the Messages API's real wire format, for the real `anthropic` SDK over
`httpx2.MockTransport` (the SDK's HTTP client). Records every request it receives."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx2

Reply = Callable[[dict[str, Any]], httpx2.Response]


def tool_use_message(
    tool_input: dict[str, Any], *, stop_reason: str = "tool_use", cache_read: int = 0
) -> httpx2.Response:
    body = {
        "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-5-5",
        "content": [
            {
                "type": "tool_use",
                "id": "toolu_01A09q90qw90lq917835lq9",
                "name": "record_signals",
                "input": tool_input,
            }
        ],
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {
            "input_tokens": 1250,
            "output_tokens": 430,
            "cache_creation_input_tokens": 0 if cache_read else 2100,
            "cache_read_input_tokens": cache_read,
        },
    }
    return httpx2.Response(200, json=body, headers={"request-id": "req_011CSHoEeqs5C35K2UUqR7Fy"})


def error(status: int, kind: str, message: str) -> httpx2.Response:
    return httpx2.Response(
        status,
        json={
            "type": "error",
            "error": {"type": kind, "message": message},
            "request_id": "req_011CSHoEeqs5C35K2UUqR7Fy",
        },
        headers={
            "request-id": "req_011CSHoEeqs5C35K2UUqR7Fy",
            "retry-after-ms": "5",
            "x-should-retry": "true",
        },
    )


class MessagesAPI:
    """A scripted Messages API: each request gets the next reply."""

    def __init__(self, *replies: httpx2.Response | Reply) -> None:
        self.replies = list(replies)
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        assert request.url.path == "/v1/messages", request.url
        body = json.loads(request.content)
        self.requests.append(body)
        self.headers.append(dict(request.headers))
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        return reply(body) if callable(reply) else reply

    def client(self) -> httpx2.Client:
        return httpx2.Client(transport=httpx2.MockTransport(self))
