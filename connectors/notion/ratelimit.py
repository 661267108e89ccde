"""A token bucket shared by every request of one connector, with a cooldown that a 429's
`Retry-After` sets for all of them at once."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable


class TokenBucket:
    """`acquire()` blocks until a request may go: at most `burst` at once, refilled at
    `rate` per second. `hold_off(seconds)` stops everyone for that long; each waiter then
    adds its own jitter so they do not all fire at the same instant."""

    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        seed: int | None = None,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("a token bucket needs rate > 0 and burst >= 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._tokens = float(burst)
        self._updated = clock()
        self._resume_at = 0.0
        self._lock = threading.Lock()
        self._random = random.Random(seed)

    def acquire(self) -> None:
        while True:
            with self._lock:
                now = self._clock()
                self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
                self._updated = now
                # The epsilon: a refill that lands a hair under 1.0 through float rounding
                # would otherwise ask for ever smaller waits and never get there.
                if now >= self._resume_at and self._tokens >= 1.0 - 1e-9:
                    self._tokens = max(0.0, self._tokens - 1.0)
                    return
                if now < self._resume_at:
                    wait = self._resume_at - now + self._random.uniform(0, 1.0 / self.rate)
                else:
                    wait = max((1.0 - self._tokens) / self.rate, 1e-4)
            self._sleep(wait)

    def hold_off(self, seconds: float) -> None:
        """Nobody sends before `seconds` from now; the bucket restarts empty."""
        with self._lock:
            self._resume_at = max(self._resume_at, self._clock() + seconds)
            self._tokens = 0.0
