"""The project's one error tree.

Every error a user can see is an `AppError`: it carries the HTTP status the API answers
with and a stable machine-readable `code`. Adapters (Postgres, graph backends, CRM
connectors, LLM clients) translate foreign exceptions into these at their edge with
`raise ... from exc`; routes never raise HTTP exceptions for domain cases.

    AppError
    ├── ConfigError                 (500, config_error)   bad settings; stops start-up
    ├── BadRequest                  (400, bad_request)
    ├── Unauthorized                (401, unauthorized)
    ├── Forbidden                   (403, forbidden)
    ├── NotFound                    (404, not_found)
    ├── Conflict                    (409, conflict)
    ├── PayloadTooLarge             (413, payload_too_large)
    ├── UnsupportedMediaType        (415, unsupported_media_type)
    ├── InvalidInput                (422, validation_error)
    └── StoreUnavailable            (503, store_unavailable)
        ├── DatabaseUnavailable     (503, database_unavailable)   unreachable, connection lost
        ├── DatabaseTimeout         (503, database_timeout)       a statement ran out of time
        └── GraphUnavailable        (503, graph_unavailable)
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import ValidationError


class AppError(Exception):
    status_code: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            body["details"] = self.details
        return {"error": body}


class ConfigError(AppError):
    code = "config_error"


class BadRequest(AppError):
    status_code = 400
    code = "bad_request"


class Unauthorized(AppError):
    status_code = 401
    code = "unauthorized"


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"


class NotFound(AppError):
    status_code = 404
    code = "not_found"


class Conflict(AppError):
    status_code = 409
    code = "conflict"


class PayloadTooLarge(AppError):
    status_code = 413
    code = "payload_too_large"


class UnsupportedMediaType(AppError):
    status_code = 415
    code = "unsupported_media_type"


class InvalidInput(AppError):
    """Input that parses but breaks a rule; `details["fields"]` names the fields."""

    status_code = 422
    code = "validation_error"

    def __init__(self, message: str, *, field: str | None = None, **kwargs: Any) -> None:
        details = kwargs.pop("details", None) or {}
        if field is not None:
            details.setdefault("fields", [{"field": field, "message": message}])
        super().__init__(message, details=details)


class StoreUnavailable(AppError):
    status_code = 503
    code = "store_unavailable"


class DatabaseUnavailable(StoreUnavailable):
    code = "database_unavailable"


class DatabaseTimeout(StoreUnavailable):
    """The server is there but cancelled the statement: its timeout passed (often while
    waiting on a lock another transaction holds)."""

    code = "database_timeout"


class GraphUnavailable(StoreUnavailable):
    code = "graph_unavailable"


def describe_validation_error(error: ValidationError) -> str:
    """One clause per problem, `where: what is wrong` (settings, files, CRM values)."""
    lines = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "value"
        message = str(item["msg"]).removeprefix("Value error, ")
        lines.append(f"{where}: {message}")
    return "; ".join(lines)
