"""Turn every error into the one JSON error shape: {"error": {"code", "message", ...}}."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.limits import too_large_body
from app.api.request_text import UnreadableRequest, validation_error_body
from core.errors import AppError

logger = logging.getLogger(__name__)


def _field_name(location: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in location) or "body"


async def _app_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    if exc.status_code >= 500:
        logger.warning("%s: %s", exc.code, exc.message)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
    return JSONResponse(exc.to_json(), status_code=exc.status_code, headers=headers)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    fields = []
    for item in exc.errors():
        location = tuple(item.get("loc", ()))
        message = str(item.get("msg", "invalid value")).removeprefix("Value error, ")
        if item.get("type") == "json_invalid":
            ctx = item.get("ctx") or {}
            message = f"malformed JSON: {ctx.get('error', message)}"
        fields.append({"field": _field_name(location), "message": message})
    return JSONResponse(validation_error_body(fields), status_code=422)


async def _unreadable_request(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, UnreadableRequest)
    return JSONResponse(validation_error_body(exc.fields), status_code=422)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 413:
        return JSONResponse(too_large_body(request.app.state.max_request_bytes), status_code=413)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    return JSONResponse(
        {"error": {"code": code, "message": str(exc.detail)}},
        status_code=exc.status_code,
        headers=exc.headers,
    )


class UnexpectedErrors:
    """The last resort for an exception nothing classified: logged with its traceback and
    answered 500 in the error shape, and not raised any further.

    Starlette's own last resort (an `Exception` handler) re-raises to the server after
    answering, and uvicorn then closes the connection, so a client's next request on that
    keep-alive connection was reset. Only an error after the response has started is
    still raised: the server must close the connection then, or a half-sent response
    would pass for a whole one.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            if started:
                raise
            logger.exception("unhandled error in %s %s", scope["method"], scope["path"])
            response = JSONResponse(INTERNAL_ERROR, status_code=500)
            await response(scope, receive, send)


INTERNAL_ERROR = {"error": {"code": "internal_error", "message": "internal error"}}


def install_error_handlers(app: FastAPI) -> None:
    """Handlers for every error the project classifies; `UnexpectedErrors` (added last, so
    outermost of the app's middleware) for the rest."""
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(UnreadableRequest, _unreadable_request)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_middleware(UnexpectedErrors)
