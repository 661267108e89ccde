"""Small test helpers."""

from __future__ import annotations

import time
from collections.abc import Callable


def eventually(condition: Callable[[], bool], *, attempts: int = 400, pause: float = 0.025) -> bool:
    """Poll `condition` until true or `attempts` run out; return its last value.

    For waiting on background workers; the test asserts on the result, never on time.
    """
    for _ in range(attempts):
        if condition():
            return True
        time.sleep(pause)
    return condition()
