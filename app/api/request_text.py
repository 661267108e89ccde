"""What a request must be before a route reads it; one place for every text field.

- A request with a body sends JSON (`application/json` or `application/...+json`, in
  UTF-8): every route takes JSON, so anything else is answered 415 at once, rather than
  with a validation error about the body not being an object.
- The body is UTF-8 (RFC 8259): other bytes get the validation error shape naming `body`.
- No string in the body or the query holds text PostgreSQL cannot store (see
  `core.text`): the validation error names the field, instead of the database failing
  half way through a write.

The query and the content type are checked before the app runs. The body is checked as
it streams in (this middleware sits inside `BodySizeLimit`, so it holds at most
MAX_REQUEST_BYTES): the last chunk raises `UnreadableRequest` into the route's own read
of the body, which FastAPI hands to the error handlers like any HTTPException.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.errors import UnsupportedMediaType
from core.text import Location, find_unstorable_text, unstorable_problem

# A JSON escape that may decode to a NUL or a lone surrogate; only bodies holding one are
# parsed here (a false alarm, such as an escaped backslash before "u0000", costs a parse).
SUSPICIOUS_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")


def validation_error_body(fields: list[dict[str, str]]) -> dict[str, Any]:
    """The API's validation error: each field named with what is wrong with it."""
    summary = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
    return {
        "error": {
            "code": "validation_error",
            "message": f"invalid request: {summary}",
            "details": {"fields": fields},
        }
    }


class UnreadableRequest(HTTPException):
    """A body that is not UTF-8 or holds unstorable text; answered as a validation error."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(status_code=422, detail=f"{field}: {message}")
        self.fields = [{"field": field, "message": message}]


class RequestTextCheck:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        query_problem = _unstorable_query(scope["query_string"])
        if query_problem is not None:
            await JSONResponse(validation_error_body([query_problem]), 422)(scope, receive, send)
            return
        if _declares_body(headers) and not _is_json(headers.get(b"content-type")):
            refusal = UnsupportedMediaType(
                "the request body must be JSON in UTF-8 (Content-Type: application/json); got "
                + _described(headers.get(b"content-type"))
            )
            response = JSONResponse(refusal.to_json(), 415, headers={"connection": "close"})
            await response(scope, receive, send)
            return
        await self.app(scope, _checking(receive), send)


def _checking(receive: Receive) -> Receive:
    """`receive`, with the whole body checked when its last chunk arrives."""
    chunks: list[bytes] = []

    async def checked() -> Message:
        message = await receive()
        if message["type"] == "http.request":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                body = b"".join(chunks)
                chunks.clear()
                check_body(body)
        return message

    return checked


def check_body(body: bytes) -> None:
    """Raise `UnreadableRequest` for a body that is not UTF-8 or holds unstorable text.
    Malformed JSON passes: FastAPI's own parse names where it breaks."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableRequest(
            "body", f"not valid UTF-8 (byte 0x{body[exc.start]:02x} at position {exc.start})"
        ) from None
    if not SUSPICIOUS_ESCAPE.search(body):
        return
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):
        return
    found = find_unstorable_text(parsed)
    if found is not None:
        raise UnreadableRequest(_field("body", found.location), found.problem)


def _unstorable_query(query_string: bytes) -> dict[str, str] | None:
    # Decoded as Starlette decodes it, so the names and values are the ones routes see.
    for name, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
        problem = unstorable_problem(name) or unstorable_problem(value)
        if problem is not None:
            return {"field": _field("query", (name,)), "message": problem}
    return None


def _field(where: str, location: Location) -> str:
    return ".".join([where, *(str(part) for part in location)])


def _declares_body(headers: dict[bytes, bytes]) -> bool:
    length = headers.get(b"content-length", b"").strip()
    return (bool(length) and length != b"0") or b"transfer-encoding" in headers


def _is_json(content_type: bytes | None) -> bool:
    if content_type is None:
        return False
    media_type, *parameters = content_type.decode("latin-1").lower().split(";")
    media_type = media_type.strip()
    kind, _, subtype = media_type.partition("/")
    if kind != "application" or not (subtype == "json" or subtype.endswith("+json")):
        return False
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip() == "charset" and value.strip().strip('"') not in ("utf-8", "utf8"):
            return False
    return True


def _described(content_type: bytes | None) -> str:
    return repr(content_type.decode("latin-1")) if content_type else "no Content-Type"
