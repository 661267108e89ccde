"""The ASGI app: faults, body limit, version, auth and rate limit in front of the routes.

Order of checks: an injected infrastructure fault answers first (it stands for the edge
proxy or an overloaded backend); then the body size, the URL, the Notion-Version header,
the token, the token's rate limit, and finally the endpoint itself.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from . import errors, routes
from .errors import JsonDict, NotionError
from .faults import Fault, html_error_body
from .ids import request_id

if TYPE_CHECKING:
    from .emulator import NotionEmulator

SUPPORTED_VERSIONS = ("2025-09-03", "2026-03-11")
DROPPED = 0  # status recorded for a request whose connection was dropped
log = logging.getLogger(__name__)


def json_response(
    status: int, body: JsonDict, rid: str, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        content=json.dumps(body, ensure_ascii=False),
        status_code=status,
        media_type="application/json; charset=utf-8",
        headers={"x-notion-request-id": rid, **(headers or {})},
    )


def html_response(status: int) -> Response:
    return Response(content=html_error_body(status), status_code=status, media_type="text/html")


class EmulatorApp:
    def __init__(self, emulator: NotionEmulator) -> None:
        self.emulator = emulator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        response = await self._handle(request, scope)
        if response is not None:
            await response(scope, receive, send)

    async def _handle(self, request: Request, scope: Scope) -> Response | None:
        emulator = self.emulator
        rid = request_id()
        method, path = request.method, request.url.path
        fault = emulator.faults.draw(method, path)
        response: Response | None
        if fault is not None and not fault.commits:
            response = await self._fault(fault, rid, scope)
        else:
            response = await self._serve(request, rid)
            if fault is not None:
                response = await self._fault(fault, rid, scope)
        emulator.stats.record(
            method, routes.template_for(path), response.status_code if response else DROPPED
        )
        return response

    async def _serve(self, request: Request, rid: str) -> Response:
        emulator = self.emulator
        try:
            raw = await request.body()
            if len(raw) > emulator.max_body_bytes:
                raise errors.payload_too_large(emulator.max_body_bytes)
            matched = routes.match(request.method, request.url.path)
            if matched is None:
                raise errors.invalid_request_url()
            version = request.headers.get("notion-version")
            if not version:
                raise errors.missing_version()
            if version not in SUPPORTED_VERSIONS:
                raise errors.validation(
                    f"Notion-Version {version} is not emulated; use one of "
                    f"{', '.join(SUPPORTED_VERSIONS)}."
                )
            token = _bearer(request.headers.get("authorization"))
            if token is None or token not in emulator.tokens:
                raise errors.unauthorized()
            limiter = emulator.rate_limiter
            if limiter is not None:
                limited = limiter.acquire(token)
                if limited is not None:
                    raise errors.rate_limited(*limited)
            route, params = matched
            ctx = routes.RequestContext(
                store=emulator.store,
                version=version,
                actor=emulator.integration.bot.id,
                body=_json_body(raw),
                query=parse_qs(request.url.query),
                base_url=str(request.base_url).rstrip("/"),
            )
            result = routes.call(route, ctx, params)
            return json_response(200, {**result, "request_id": rid}, rid)
        except NotionError as exc:
            return json_response(exc.status, exc.body(rid), rid, exc.headers)
        except Exception:
            log.exception("emulator bug while serving %s %s", request.method, request.url.path)
            failure = errors.internal_server_error()
            return json_response(failure.status, failure.body(rid), rid)

    async def _fault(self, fault: Fault, rid: str, scope: Scope) -> Response | None:
        emulator = self.emulator
        if fault in (Fault.TIMEOUT, Fault.COMMIT_THEN_TIMEOUT):
            await emulator.hang(emulator.faults.hang_seconds)
            return html_response(504)
        if fault is Fault.COMMIT_THEN_DROP:
            if emulator.drop_connection(scope):
                # Let the transport report the loss, so the server sees a client that left.
                for _ in range(3):
                    await asyncio.sleep(0)
                return None
            return html_response(502)
        if fault in (Fault.BAD_GATEWAY_HTML,):
            return html_response(502)
        if fault in (Fault.GATEWAY_TIMEOUT_HTML, Fault.COMMIT_THEN_504_HTML):
            return html_response(504)
        error: NotionError = {
            Fault.SERVICE_OVERLOAD: errors.service_overload,
            Fault.INTERNAL_SERVER_ERROR: errors.internal_server_error,
            Fault.COMMIT_THEN_500: errors.internal_server_error,
            Fault.SERVICE_UNAVAILABLE: errors.service_unavailable,
            Fault.CONFLICT: errors.conflict,
        }.get(fault, lambda: errors.rate_limited(emulator.faults.retry_after, 1))()
        return json_response(error.status, error.body(rid), rid, error.headers)


def _bearer(header: str | None) -> str | None:
    if not header or not header.startswith("Bearer "):
        return None
    return header[len("Bearer ") :].strip()


def _json_body(raw: bytes) -> JsonDict:
    if not raw.strip():
        return {}
    try:
        parsed: Any = json.loads(raw)
    except ValueError as exc:
        raise errors.invalid_json() from exc
    if not isinstance(parsed, dict):
        raise errors.validation("body failed validation: body should be an object.")
    return parsed
