"""What the page's browser tests and bench share: the service on a loopback port in a
thread, and Debian's chromium driven by Playwright (never a browser Playwright downloads)."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, Playwright, ViewportSize

# Debian's chromium; CHROMIUM may name another Chromium binary.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_MISSING = (
    f"the page's tests drive Chromium and {CHROMIUM} is missing: apt-get install -y "
    "chromium (as .ci/run does), or set CHROMIUM to a Chromium binary"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LAPTOP: ViewportSize = {"width": 1366, "height": 768}
DESKTOP: ViewportSize = {"width": 1920, "height": 1080}


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Serve `app` on a free 127.0.0.1 port in a thread; yield its base URL; stop it after."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", ws="none", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        for _ in range(400):
            if server.started or not thread.is_alive():
                break
            time.sleep(0.025)
        if not server.started:
            raise RuntimeError("the test server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listener.close()


def require_chromium() -> None:
    """Skip a test on a machine without Chromium, saying how to install it. In CI, where
    .ci/run installs it, a missing Chromium fails the test instead of hiding it."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(CHROMIUM_MISSING)
    pytest.skip(CHROMIUM_MISSING)


def launch_chromium(playwright: Playwright) -> Browser:
    if not CHROMIUM.exists():
        raise RuntimeError(CHROMIUM_MISSING)
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def signed_in_page(browser: Browser, base_url: str, key: str, **options: Any) -> Page:
    """A page whose session already holds `key` (as the sign-in form would leave it)."""
    context = browser.new_context(viewport=options.pop("viewport", LAPTOP), **options)
    context.add_init_script(
        f"sessionStorage.setItem('stakeholder-intel.api-key', {json.dumps(key)});"
    )
    return context.new_page()


# The drawn graph, read in the page: node count and painted pixels of Cytoscape's canvases.
PAINTED_PIXELS = """() => {
  let painted = 0;
  for (const canvas of document.querySelectorAll('#graph canvas')) {
    if (!canvas.width || !canvas.height) continue;
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted += 1;
  }
  return painted;
}"""
