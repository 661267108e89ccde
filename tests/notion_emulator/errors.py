"""Notion's error bodies: `{"object": "error", "status", "code", "message", "request_id"}`.

Messages follow recorded responses where one exists (object_not_found, unauthorized,
invalid_request_url) and Notion's documented wording otherwise.
"""

from __future__ import annotations

from typing import Any

JsonDict = dict[str, Any]


class NotionError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        additional_data: JsonDict | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.additional_data = additional_data
        self.headers = headers or {}

    def body(self, request_id: str) -> JsonDict:
        out: JsonDict = {
            "object": "error",
            "status": self.status,
            "code": self.code,
            "message": self.message,
        }
        if self.additional_data is not None:
            out["additional_data"] = self.additional_data
        out["request_id"] = request_id
        return out


def validation(message: str) -> NotionError:
    return NotionError(400, "validation_error", message)


def body_validation(path: str, rule: str) -> NotionError:
    """`body failed validation: body.x.y should be ..., instead was ...`."""
    return validation(f"body failed validation: body.{path} {rule}")


def not_found(kind: str, object_id: str, integration_name: str, integration_id: str) -> NotionError:
    return NotionError(
        404,
        "object_not_found",
        f"Could not find {kind} with ID: {object_id}. Make sure the relevant pages and "
        f'databases are shared with your integration "{integration_name}".',
        additional_data={"integration_id": integration_id},
    )


def user_not_found(user_id: str, integration_id: str) -> NotionError:
    return NotionError(
        404,
        "object_not_found",
        f"Could not find user with ID: {user_id}. Make sure your integration has capabilities "
        "to read user information. With those capabilities, only members and guests in the "
        "integration's workspace are visible.",
        additional_data={"integration_id": integration_id},
    )


def unauthorized() -> NotionError:
    return NotionError(401, "unauthorized", "API token is invalid.")


def invalid_request_url() -> NotionError:
    return NotionError(400, "invalid_request_url", "Invalid request URL.")


def invalid_json() -> NotionError:
    return NotionError(400, "invalid_json", "Error parsing JSON body.")


def missing_version() -> NotionError:
    return NotionError(
        400,
        "missing_version",
        "Notion-Version header failed validation: Notion-Version header should be defined, "
        "instead was `undefined`.",
    )


def rate_limited(retry_after: str, unscaled_seconds: int) -> NotionError:
    return NotionError(
        429,
        "rate_limited",
        "You have been rate limited. Please try again in a few minutes.",
        headers={
            "Retry-After": retry_after,
            "X-Emulator-Retry-After-Unscaled": str(unscaled_seconds),
        },
    )


def conflict() -> NotionError:
    return NotionError(409, "conflict_error", "Conflict occurred while saving. Please try again.")


def internal_server_error() -> NotionError:
    return NotionError(500, "internal_server_error", "Unexpected error occurred.")


def service_unavailable() -> NotionError:
    return NotionError(503, "service_unavailable", "Notion is unavailable, please try again later.")


def service_overload() -> NotionError:
    return NotionError(
        529,
        "service_overload",
        "Notion is currently experiencing high load. Please try again later.",
    )


def payload_too_large(limit: int) -> NotionError:
    return NotionError(
        413,
        "payload_too_large",
        f"Request body too large: the limit is {limit} bytes.",
    )
