"""Run the emulator on 127.0.0.1 (free port, background thread) and build clients for it."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn
from notion_client import Client
from notion_client.client import RetryOptions

from .emulator import DEFAULT_VERSION, NotionEmulator

_CLIENT_LOGGER = logging.getLogger("tests.notion_emulator.client")


@dataclass(frozen=True)
class RunningEmulator:
    emulator: NotionEmulator
    base_url: str

    def client(self, **options: Any) -> Client:
        """A real notion_client.Client for this server; close it when done."""
        return make_client(self.base_url, token=self.emulator.token, **options)


def make_client(
    base_url: str,
    *,
    token: str,
    timeout_ms: int = 10_000,
    retry: RetryOptions | bool = False,
    notion_version: str = DEFAULT_VERSION,
) -> Client:
    """notion-client pointed at the emulator. Retries default to off: the connector owns
    its retry policy (notion-client 3.1.0 does not retry 529, HTML 5xx, POST reads or
    timeouts)."""
    return Client(
        auth=token,
        base_url=base_url,
        timeout_ms=timeout_ms,
        retry=retry,
        notion_version=notion_version,
        logger=_CLIENT_LOGGER,
    )


@contextmanager
def running_emulator(emulator: NotionEmulator | None = None) -> Iterator[RunningEmulator]:
    emulator = emulator or NotionEmulator()
    # proto IPPROTO_TCP: asyncio sets TCP_NODELAY on accepted sockets only then; without it
    # every keep-alive response waits ~40 ms (Nagle against the client's delayed ACK).
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(
        emulator.app,
        log_config=None,
        access_log=False,
        lifespan="off",
        http="h11",
        loop="asyncio",
        timeout_graceful_shutdown=5,
    )
    server = uvicorn.Server(config)

    def drop(scope: MutableMapping[str, Any]) -> bool:
        client = scope.get("client")
        for connection in list(server.server_state.connections):
            if client is not None and getattr(connection, "client", None) == tuple(client):
                connection.transport.abort()
                return True
        return False

    emulator.connection_dropper = drop
    emulator.stopping = False
    thread = threading.Thread(
        target=server.run,
        kwargs={"sockets": [listener]},
        name=f"notion-emulator-{port}",
        daemon=True,
    )
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the Notion emulator did not start")
            time.sleep(0.01)
        yield RunningEmulator(emulator, f"http://127.0.0.1:{port}")
    finally:
        emulator.stopping = True
        emulator.webhooks.stop_auto_delivery()
        server.should_exit = True
        thread.join(timeout=15)
        listener.close()
        emulator.connection_dropper = None
