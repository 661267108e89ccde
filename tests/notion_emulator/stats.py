"""Request counters by method, route and status, for assertions about client behaviour."""

from __future__ import annotations

import threading
from collections import Counter


class RequestStats:
    def __init__(self) -> None:
        self._counts: Counter[tuple[str, str, int]] = Counter()
        self._lock = threading.Lock()

    def record(self, method: str, route: str, status: int) -> None:
        with self._lock:
            self._counts[(method, route, status)] += 1

    def count(
        self, method: str | None = None, route: str | None = None, status: int | None = None
    ) -> int:
        """Requests matching every given criterion; `route` is a template such as
        `/v1/pages/{page_id}`."""
        with self._lock:
            return sum(
                n
                for (m, r, s), n in self._counts.items()
                if (method is None or m == method)
                and (route is None or r == route)
                and (status is None or s == status)
            )

    def snapshot(self) -> dict[tuple[str, str, int], int]:
        with self._lock:
            return dict(self._counts)

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()
