"""Injected failures: what a flaky Notion (or the proxy in front of it) answers.

A fault applies to the next N matching requests or, with a seeded RNG, to each matching
request with some probability. Faults whose name starts with `commit_then_` let the
request change state first and fail only the answer, so a client cannot know whether its
write happened.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from enum import StrEnum
from fnmatch import fnmatchcase


class Fault(StrEnum):
    SERVICE_OVERLOAD = "service_overload"  # 529 JSON
    INTERNAL_SERVER_ERROR = "internal_server_error"  # 500 JSON
    SERVICE_UNAVAILABLE = "service_unavailable"  # 503 JSON
    BAD_GATEWAY_HTML = "bad_gateway_html"  # 502 text/html from the edge proxy
    GATEWAY_TIMEOUT_HTML = "gateway_timeout_html"  # 504 text/html from the edge proxy
    CONFLICT = "conflict_error"  # 409 JSON
    RATE_LIMITED = "rate_limited"  # 429 JSON with Retry-After, regardless of the bucket
    TIMEOUT = "timeout"  # no answer within the client's timeout; nothing applied
    COMMIT_THEN_500 = "commit_then_500"
    COMMIT_THEN_504_HTML = "commit_then_504_html"
    COMMIT_THEN_DROP = "commit_then_drop"  # write applied, connection closed without answer
    COMMIT_THEN_TIMEOUT = "commit_then_timeout"

    @property
    def commits(self) -> bool:
        return self.value.startswith("commit_then_")


HTML_STATUS_TEXT = {502: "502 Bad Gateway", 504: "504 Gateway Time-out"}


def html_error_body(status: int) -> str:
    title = HTML_STATUS_TEXT[status]
    return (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<hr><center>cloudflare</center>\r\n"
        "</body>\r\n</html>\r\n"
    )


@dataclass
class _Rule:
    fault: Fault
    remaining: int | None  # None: probabilistic, never exhausted
    probability: float
    method: str | None
    path: str | None
    rng: random.Random


@dataclass
class FaultInjector:
    # How long a timeout fault holds the request (real seconds); must exceed the client's
    # timeout. The server cuts the wait short when it stops.
    hang_seconds: float = 5.0
    retry_after: str = "1"
    injected: list[tuple[str, str, Fault]] = field(default_factory=list)
    _rules: list[_Rule] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def next(
        self, fault: Fault, times: int = 1, *, method: str | None = None, path: str | None = None
    ) -> None:
        """Fail the next `times` requests that match `method` and the glob `path`."""
        with self._lock:
            self._rules.append(_Rule(fault, times, 1.0, method, path, random.Random(0)))

    def randomly(
        self,
        fault: Fault,
        probability: float,
        *,
        seed: int = 0,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        with self._lock:
            self._rules.append(_Rule(fault, None, probability, method, path, random.Random(seed)))

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def draw(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for rule in self._rules:
                if rule.method is not None and rule.method.upper() != method.upper():
                    continue
                if rule.path is not None and not fnmatchcase(path, rule.path):
                    continue
                if rule.remaining is not None:
                    rule.remaining -= 1
                    if rule.remaining <= 0:
                        self._rules.remove(rule)
                elif rule.rng.random() >= rule.probability:
                    continue
                self.injected.append((method, path, rule.fault))
                return rule.fault
            return None
