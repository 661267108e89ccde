"""The loop that runs background workers in a thread until stopped."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Protocol

from core.errors import AppError

logger = logging.getLogger(__name__)


class Worker(Protocol):
    def run_once(self) -> int: ...


class WorkerThread:
    """Runs workers, in order, round after round in a background thread until stopped;
    when a round finds nothing to do, it waits `poll_seconds` before the next."""

    def __init__(self, name: str, workers: Sequence[Worker], poll_seconds: float) -> None:
        self.workers = list(workers)
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            handled = 0
            for worker in self.workers:
                try:
                    handled += worker.run_once()
                except AppError as exc:
                    logger.warning("%s: %s", type(worker).__name__, exc.message)
                except Exception:  # keep the workers alive; their work waits for them
                    logger.exception("%s failed", type(worker).__name__)
            if handled == 0:
                self._stop.wait(self.poll_seconds)
