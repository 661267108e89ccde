"""Keeps the embedded FalkorDB running: a server that dies (a crash, the OOM killer, a
stray SIGKILL) is started again on the same port and files, by whichever process with
that DATA_DIR notices first, with its append-only file replayed.

Restarts back off when the server keeps dying: the first restart after a stable spell is
immediate, then each consecutive attempt waits twice as long (0.5 s up to 30 s). Every
death and every restart is logged; `status()` is what `/readyz` shows.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import Any

from core.errors import GraphUnavailable
from graph.embedded import START_TIMEOUT_SECONDS, STOP_TIMEOUT_SECONDS, EmbeddedFalkorDB

logger = logging.getLogger(__name__)

CHECK_SECONDS = 0.5  # how often the server process is looked at
FIRST_DELAY_SECONDS = 0.5
MAX_DELAY_SECONDS = 30.0
STABLE_SECONDS = 60.0  # up this long, a death starts the backoff afresh


@dataclass(frozen=True)
class SupervisedServer:
    """The embedded server as the supervisor last saw it."""

    state: str  # "running" or "restarting"
    pid: int
    port: int
    restarts: int = 0
    last_exit: str | None = None  # how the server last ended
    last_restart_at: datetime | None = None
    last_error: str | None = None  # why the latest restart attempt failed

    def as_json(self) -> dict[str, Any]:
        body = asdict(self)
        if self.last_restart_at is not None:
            body["last_restart_at"] = self.last_restart_at.isoformat()
        return body


def restart_delay(consecutive_attempts: int) -> float:
    """Seconds to wait before a restart attempt, given the attempts made in a row."""
    if consecutive_attempts == 0:
        return 0.0
    return min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2.0 ** (consecutive_attempts - 1))


class GraphSupervisor:
    """Watches one embedded server from a background thread until `stop`."""

    def __init__(self, server: EmbeddedFalkorDB) -> None:
        self.server = server
        self._status = SupervisedServer("running", server.pid, server.port)
        self._attempts_in_a_row = 0
        self._up_since = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="graph-supervisor", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop watching (before the server itself is stopped, so that is not a death).
        A restart under way is waited for, so the server it starts is the one stopped."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(START_TIMEOUT_SECONDS + STOP_TIMEOUT_SECONDS)

    def status(self) -> SupervisedServer:
        return self._status

    def _watch(self) -> None:
        while not self._stop.wait(CHECK_SECONDS):
            ended = self.server.exited()
            if ended is not None:
                self._bring_back(ended)

    def _bring_back(self, ended: str) -> None:
        """Restart the server that `ended`, with backoff, until it answers or we stop."""
        dead_pid = self.server.pid
        if time.monotonic() - self._up_since >= STABLE_SECONDS:
            self._attempts_in_a_row = 0
        self._status = replace(self._status, state="restarting", last_exit=ended)
        logger.warning(
            "embedded FalkorDB (pid %s, port %s) %s; restarting it",
            dead_pid,
            self.server.port,
            ended,
        )
        while True:
            delay = restart_delay(self._attempts_in_a_row)
            if self._stop.wait(delay):
                return
            self._attempts_in_a_row += 1
            try:
                self.server.revive()
            except GraphUnavailable as exc:
                self._status = replace(self._status, last_error=exc.message)
                logger.error(
                    "embedded FalkorDB restart attempt %s failed: %s; next in %.1fs",
                    self._attempts_in_a_row,
                    exc.message,
                    restart_delay(self._attempts_in_a_row),
                )
                continue
            break
        self._up_since = time.monotonic()
        self._status = replace(
            self._status,
            state="running",
            pid=self.server.pid,
            restarts=self._status.restarts + 1,
            last_restart_at=datetime.now(UTC),
            last_error=None,
        )
        logger.warning(
            "embedded FalkorDB restarted: pid %s on port %s (restart %s since start)",
            self.server.pid,
            self.server.port,
            self._status.restarts,
        )
