"""Calls to Notion through the real `notion-client`, with its own retries off: our token
bucket paces every request and our policy retries what is safe to retry.

What is retried, and how (notion-client 3.1.0 retries none of 529, HTML 5xx, POST reads
or timeouts, and has no limiter):
- 429 `rate_limited`: never applied; wait `Retry-After` (fractional seconds allowed),
  and hold every other request of this connector back for as long.
- 409 `conflict_error`: never applied; retried with jittered backoff.
- 500/502/503/504/529 (JSON or HTML bodies), timeouts and dropped connections: the
  request may have been applied. Idempotent calls (reads, updates to given values,
  trash flags) are retried with jittered backoff; a create is not: it raises
  `OutcomeUnknown` so the engine can look the page up by our id first.
Anything else (400 validation, 401, 403, 404) is not transient and is translated at once.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

import httpx
from notion_client import Client
from notion_client.errors import HTTPResponseError, RequestTimeoutError
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_random_exponential,
)

from connectors.errors import (
    ConnectorError,
    CRMUnavailable,
    MappingInvalid,
    OutcomeUnknown,
    RecordMissing,
    RecordRejected,
)
from connectors.notion.ratelimit import TokenBucket
from connectors.protocol import RatePolicy

JsonDict = dict[str, Any]

NOTION_VERSION = "2025-09-03"
NEVER_APPLIED = {429, 409}
MAYBE_APPLIED = {500, 502, 503, 504, 529}

_CLIENT_LOG = logging.getLogger("connectors.notion.client")


class _Transient(Exception):
    """A failure worth retrying; `retry_after` is Notion's own advice, when given."""

    def __init__(self, message: str, *, applied_maybe: bool, retry_after: float | None = None):
        super().__init__(message)
        self.applied_maybe = applied_maybe
        self.retry_after = retry_after


def _retry_after(error: HTTPResponseError) -> float | None:
    raw = error.headers.get("retry-after") if error.headers is not None else None
    try:
        return max(0.0, float(raw)) if raw is not None else None
    except ValueError:
        return None


def _describe(error: HTTPResponseError) -> str:
    body = (error.body or "").strip()
    if body.startswith("<"):  # an HTML error page from a proxy
        return f"HTTP {error.status} with an HTML body"
    code = getattr(error.code, "value", error.code)
    return f"HTTP {error.status} {code}: {error}"


class NotionApi:
    """One integration token's view of Notion; every request passes `call`."""

    def __init__(
        self,
        token: str,
        *,
        base_url: str = "https://api.notion.com",
        rate_policy: RatePolicy,
        timeout_seconds: float = 30.0,
        notion_version: str = NOTION_VERSION,
    ) -> None:
        self.client = Client(
            auth=token,
            base_url=base_url,
            timeout_ms=int(timeout_seconds * 1000),
            notion_version=notion_version,
            retry=False,
            logger=_CLIENT_LOG,
        )
        self.policy = rate_policy
        self.bucket = TokenBucket(rate_policy.requests_per_second, rate_policy.burst)
        self.counts: Counter[str] = Counter()

    def close(self) -> None:
        self.client.close()

    def call(self, kind: str, request: Callable[[Client], Any], *, idempotent: bool) -> JsonDict:
        """Send `request` (counted under `kind`), paced and retried as the module says."""

        def attempt() -> JsonDict:
            self.bucket.acquire()
            self.counts[kind] += 1
            self.counts["total"] += 1
            try:
                answer: JsonDict = request(self.client)
                return answer
            except HTTPResponseError as exc:
                self._raise_for(exc, idempotent)
            except (RequestTimeoutError, httpx.TimeoutException) as exc:
                self._unknown_outcome(f"no answer in time ({exc})", idempotent)
            except httpx.TransportError as exc:
                self._unknown_outcome(f"connection lost ({type(exc).__name__})", idempotent)
            raise AssertionError("unreachable")

        retrying = Retrying(
            retry=retry_if_exception(lambda exc: isinstance(exc, _Transient)),
            stop=stop_after_attempt(self.policy.max_attempts)
            | stop_after_delay(self.policy.max_wait_seconds),
            wait=self._wait,
            reraise=True,
            before_sleep=self._count_retry,
        )
        try:
            return retrying(attempt)
        except _Transient as exc:
            if exc.applied_maybe and not idempotent:
                raise OutcomeUnknown(str(exc)) from exc
            raise CRMUnavailable(f"Notion: {exc} (gave up after retrying)") from exc

    def _raise_for(self, error: HTTPResponseError, idempotent: bool) -> None:
        status = error.status
        if status in NEVER_APPLIED:
            retry_after = _retry_after(error) if status == 429 else None
            if retry_after is not None:
                self.bucket.hold_off(retry_after)
                self.counts["rate_limited"] += 1
            raise _Transient(_describe(error), applied_maybe=False, retry_after=retry_after)
        if status in MAYBE_APPLIED:
            if not idempotent:
                raise OutcomeUnknown(f"Notion: {_describe(error)}") from error
            raise _Transient(_describe(error), applied_maybe=True)
        message = f"Notion: {_describe(error)}"
        if status == 404:
            raise RecordMissing(message) from error
        if status == 400:
            raise RecordRejected(message) from error
        if status == 401:
            raise MappingInvalid(
                f"{message} (the integration token is invalid or revoked)"
            ) from error
        if status == 403:
            raise MappingInvalid(
                f"{message} (is the integration connected to the pages?)"
            ) from error
        raise ConnectorError(message) from error

    def _unknown_outcome(self, reason: str, idempotent: bool) -> None:
        if not idempotent:
            raise OutcomeUnknown(f"Notion: {reason}")
        raise _Transient(reason, applied_maybe=True)

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, _Transient) and error.retry_after is not None:
            return 0.0  # the bucket already holds everyone back for Retry-After
        backoff = wait_random_exponential(multiplier=0.25, max=self.policy.max_wait_seconds / 4)
        return float(backoff(state))

    def _count_retry(self, state: RetryCallState) -> None:
        self.counts["retries"] += 1


def api_from_options(token: str, options: Mapping[str, Any]) -> NotionApi:
    """A NotionApi from connector options (`Settings.notion_options()` or a
    connection's stored options); absent options take Notion's documented pace."""
    policy = RatePolicy(
        requests_per_second=float(options.get("requests_per_second", 3.0)),
        burst=int(options.get("burst", 3)),
        max_attempts=int(options.get("max_attempts", 8)),
        max_wait_seconds=float(options.get("max_wait_seconds", 120.0)),
    )
    return NotionApi(
        token,
        base_url=str(options.get("base_url", "https://api.notion.com")),
        rate_policy=policy,
        timeout_seconds=float(options.get("timeout_seconds", 30.0)),
        notion_version=str(options.get("notion_version", NOTION_VERSION)),
    )
