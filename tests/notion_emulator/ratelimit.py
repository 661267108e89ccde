"""Per-token rate limiting (Notion: about 3 requests/s per integration, with bursts).

`scale` speeds emulated time up: with scale=20 a bucket refills 20x faster in real time,
and the Retry-After header is the wait in real seconds, i.e. Notion's integer value
divided by 20 (written with up to three decimals, e.g. "0.05"). Notion itself always
sends whole seconds; notion-client's built-in retry only parses whole seconds and falls
back to its own back-off for fractional values, so a connector that honours Retry-After
should parse it as a float. X-Emulator-Retry-After-Unscaled carries Notion's value.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBucketLimiter:
    def __init__(
        self,
        *,
        rate: float = 3.0,
        burst: int = 10,
        scale: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate <= 0 or burst < 1 or scale <= 0:
            raise ValueError("rate and scale must be positive, burst at least 1")
        self.rate = rate
        self.burst = burst
        self.scale = scale
        self._monotonic = monotonic
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def acquire(self, key: str) -> tuple[str, int] | None:
        """None when a token was taken; else (Retry-After header value, unscaled seconds)."""
        with self._lock:
            now = self._monotonic() * self.scale  # emulated seconds
            bucket = self._buckets.setdefault(key, _Bucket(float(self.burst), now))
            bucket.tokens = min(
                float(self.burst), bucket.tokens + (now - bucket.updated) * self.rate
            )
            bucket.updated = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return None
            unscaled = max(1, math.ceil((1.0 - bucket.tokens) / self.rate))
            return format_retry_after(unscaled / self.scale), unscaled


def format_retry_after(real_seconds: float) -> str:
    if float(real_seconds).is_integer():
        return str(int(real_seconds))
    return f"{max(real_seconds, 0.001):.3f}".rstrip("0").rstrip(".")
